import sys

from autograder.run import main

sys.exit(main())
