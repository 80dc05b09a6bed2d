# _work/ holds the psycopg2 sdist, its builds and copies of its own test
# suite (run by run_suite.py under each interpreter): never collect those here.
collect_ignore = ["_work", "repro", "psycopg2_checks.py", "run_suite.py", "server.py", "build.py"]
