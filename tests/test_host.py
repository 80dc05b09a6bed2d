"""The host's own behaviour where the layer corrects it (`cpyext/src/mro.rs`),
checked against CPython 3.11: the same script, the same output."""
import os

import harness

HOST = os.path.join(harness.TESTS, "host")


def test_method_resolution_order_is_c3():
    cpython, ours = harness.run_both(HOST, ["mro_test.py"])
    assert "FCR ['FCR', 'CCR', 'TSER', 'JTR'" in cpython
    assert ours == cpython
