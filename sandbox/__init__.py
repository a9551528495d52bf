"""City-services sandbox: Open311, GTFS/GTFS-RT and permits APIs over SQLite, for development and tests."""  # noqa: E501
