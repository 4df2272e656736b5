from gomruk.cli import main

raise SystemExit(main())
