# Offline stand-in for ansible-test's pip bootstrap download: the pip wheel bundled with CPython.
import ensurepip
ensurepip.bootstrap(upgrade=True)
