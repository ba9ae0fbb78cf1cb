from tests.dispatch_cast import *  # noqa: F403
