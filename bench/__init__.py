"""The benchmark harness: synthetic exports, the loader and the saved queries timed against pandas."""
