import sys

from autograder.supervise.cli import main

sys.exit(main())
