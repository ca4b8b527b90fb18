"""The cycle collector is held off while a comparison is laid out, and always comes back."""

import gc

from viewer.ui.collector import CollectorPause


def test_pause_then_resume_freezes_what_is_alive(qtbot):
    pause = CollectorPause()
    frozen = gc.get_freeze_count()
    pause.pause()
    assert not gc.isenabled() and pause.paused
    pause.resume()
    assert gc.isenabled() and not pause.paused
    assert gc.get_freeze_count() >= frozen
    pause.resume()  # twice is harmless
    assert gc.isenabled()


def test_collection_resumes_by_itself_after_the_limit(qtbot):
    pause = CollectorPause()
    pause._limit.setInterval(50)
    pause.pause()
    qtbot.waitUntil(gc.isenabled, timeout=2000)
    assert not pause.paused


def test_an_already_disabled_collector_stays_as_the_caller_left_it(qtbot):
    gc.disable()
    try:
        pause = CollectorPause()
        pause.pause()
        pause.resume()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_window_collects_again_once_the_comparison_is_shown(window, files, qtbot):
    with qtbot.waitSignal(window.comparison_shown, timeout=5000):
        window.open_files(*files)
    assert gc.isenabled() and not window.collector.paused


def test_closing_while_the_panes_build_resumes_collection(window, files, qtbot):
    with qtbot.waitSignal(window.worker.comparison_ready, timeout=5000):
        window.open_files(*files)
    window.collector.pause()  # as if the build were still running
    window.close()
    assert gc.isenabled()
