import logging
import exitdecref_ext

# An object Python keeps alive too (logging's manager holds its loggers).
exitdecref_ext.keep(logging.getLogger("exitdecref"))
print("DONE")
