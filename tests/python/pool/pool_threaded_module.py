"""A module that starts a thread when imported: a fork server must not keep it."""
import threading

stop = threading.Event()
threading.Thread(target=stop.wait, name="pool-test-thread", daemon=True).start()
