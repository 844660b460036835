#!/usr/bin/env python3
# test_add_officer.py: `touchpoint --add-officer`, the way accounts get into a
# terminal's store (no display needed: it exits before any window).
import os
import subprocess
import sys
import tempfile
import unittest

TOUCHPOINT = os.environ['TOUCHPOINT']


class AddOfficer(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix='tp-add-officer-')
        self.store = os.path.join(self.dir.name, 'terminal.db')
        self.key = os.path.join(self.dir.name, 'terminal.key')

    def tearDown(self):
        self.dir.cleanup()

    def run_app(self, *args, pin='482915\n'):
        env = dict(os.environ, GSETTINGS_BACKEND='memory')
        env.pop('DISPLAY', None)
        env.pop('WAYLAND_DISPLAY', None)
        return subprocess.run([TOUCHPOINT, '--store', self.store, '--key-file', self.key, *args],
                              input=pin, capture_output=True, text=True, env=env, timeout=60)

    def test_add(self):
        done = self.run_app('--add-officer', 'imm-07', '--role', 'immigration', '--name', 'Lê Thị Mai')
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn('Officer imm-07 (immigration) added', done.stdout)
        # the store and its key file were made, the key file private
        self.assertEqual(os.stat(self.key).st_mode & 0o077, 0)
        # the same ID again (in any case) is refused
        again = self.run_app('--add-officer', 'IMM-07', '--role', 'customs')
        self.assertEqual(again.returncode, 1)
        self.assertIn('There is already an officer IMM-07', again.stderr)

    def test_refused(self):
        role = self.run_app('--add-officer', 'SUP-02', '--role', 'chief')
        self.assertEqual(role.returncode, 2)
        self.assertIn('--role must be immigration, customs or supervisor', role.stderr)
        pin = self.run_app('--add-officer', 'SUP-02', '--role', 'supervisor', pin='12\n')
        self.assertEqual(pin.returncode, 1)
        self.assertIn('A PIN is 4 to 12 digits', pin.stderr)
        ident = self.run_app('--add-officer', '9X', '--role', 'supervisor')
        self.assertEqual(ident.returncode, 1)
        self.assertIn('An officer ID is 2 to 32 letters', ident.stderr)


if __name__ == '__main__':
    unittest.main()
