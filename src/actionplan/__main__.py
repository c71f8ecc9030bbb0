from actionplan.cli import main

raise SystemExit(main())
