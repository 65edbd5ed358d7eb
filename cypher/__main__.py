from cypher.cli import main

main()
