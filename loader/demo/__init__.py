"""The calibrated demo dataset: generated exports that reproduce the study's numbers."""
from loader.demo.generate import DEFAULT_SEED, write_demo

__all__ = ["DEFAULT_SEED", "write_demo"]
