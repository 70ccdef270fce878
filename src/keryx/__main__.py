from keryx.cli import main

raise SystemExit(main())
