# tpcli.py: shared plumbing for the touchpoint-cli contract tests
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys
import unittest

CLI = os.environ.get("TOUCHPOINT_CLI", "touchpoint-cli")


def main(*case_classes):
    """Runs the given TestCase classes and ends with the plain summary line
    ("N passed, N failed", and ", N skipped" when any were) that CI reads;
    exits non-zero on any failure."""
    suite = unittest.TestSuite()
    for cls in case_classes:
        suite.addTests(unittest.defaultTestLoader.loadTestsFromTestCase(cls))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors)
    skipped = len(result.skipped)
    print("%d passed, %d failed%s" % (result.testsRun - failed - skipped, failed,
                                       ", %d skipped" % skipped if skipped else ""))
    sys.exit(0 if result.wasSuccessful() else 1)
