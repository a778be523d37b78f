"""The command line: one parser, one module per group of commands, the benchmark."""
