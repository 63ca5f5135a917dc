from samverkan.cli import main

raise SystemExit(main())
