from statusgraph.cli import main

main()
