import sys

from zanqa.cli import main

sys.exit(main())
