# Serial: one interpreter, one thread, the tasks one after another.
