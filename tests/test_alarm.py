"""The alarm that stops a check, an import or a notebook's cell (execute/check_runner.py: Alarm)."""

import sys
import time

import pytest

from autograder.execute.check_runner import Alarm, CheckTimeout


class SlowFinalizer:
    """An object whose `__del__` takes a while, as TensorFlow's function garbage collectors do
    while Keras trains: an exception raised inside it is printed and dropped by Python."""

    def __del__(self):
        end = time.monotonic() + 1.0
        while time.monotonic() < end:
            pass


def test_an_alarm_dropped_by_a_finalizer_goes_off_again(monkeypatch):
    """Does the timeout still stop the code when it first goes off inside a `__del__` (where
    Python only prints it), rather than letting a long training run go on to the parent's kill?"""
    dropped = []
    monkeypatch.setattr(sys, "unraisablehook", dropped.append)
    start = time.monotonic()
    with pytest.raises(CheckTimeout):
        with Alarm(0.3) as timer:
            SlowFinalizer()  # dropped at once: its __del__ runs past the alarm and eats it
            end = time.monotonic() + 10
            while time.monotonic() < end:  # a training loop, in pure Python
                pass
    assert timer.fired and time.monotonic() - start < 3
    assert [type(d.exc_value) for d in dropped] == [CheckTimeout]  # it went off in __del__ first


def test_an_alarm_left_in_time_never_goes_off():
    """Does a block that ends before its time leave no alarm behind to go off later?"""
    with Alarm(0.2) as timer:
        pass
    time.sleep(0.6)
    assert not timer.fired
