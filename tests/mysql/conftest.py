# _work/ holds the mysqlclient sdist, its builds and copies of its own test
# suite (run by run_suite.py under each interpreter): never collect those here.
collect_ignore = ["_work", "repro"]
