"""Working on a lent GPU machine: shell scripts that run a chain of stages across its 10-minute
commands (start.sh, chain.sh, watch.sh; see training/README.md), and a step timer."""
