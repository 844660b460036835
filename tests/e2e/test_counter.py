#!/usr/bin/python3
# test_counter.py: the counter application end to end, as an officer uses it.
#
# The real `touchpoint --demo` under Xvfb, driven over AT-SPI with dogtail
# (PLATFORM.md: /usr/bin/python3, toolkit-accessibility on): sign in per
# role with the demo accounts, present every scenario traveller from the
# demo panel, read the verdict from the banner's accessible name, take the
# role's decision through its button (and its dialog), and find the
# decision on the case's timeline. Screenshots of the window go to
# $TP_E2E_SHOTS (docs/screenshots/ when refreshing the README's).
import os
import subprocess
import sys
import tempfile
import time

BUILD = os.environ['TP_BUILDDIR']
SHOTS = os.environ.get('TP_E2E_SHOTS', os.path.join(BUILD, 'tests', 'e2e', 'screenshots'))

# Every scenario and the verdict the demo list gives it (tests/ui/test-demo-scenarios
# checks the same table below the window).
SCENARIOS = {
    'clear': ('CLEAR', 'Clear'),
    'exit-ban': ('STOP', 'Exit ban'),
    'cancelled-ban': ('CLEAR', 'Cancelled ban'),
    'customs-referral': ('REFER', 'Customs referral'),
    'possible-match': ('REVIEW', 'Possible match'),
    'expired-passport': ('CLEAR', 'Expired passport'),
    'cloned-chip': ('CLEAR', 'Cloned chip'),
    'tampered-chip': ('CLEAR', 'Tampered chip'),
    'wrong-day-boarding-pass': ('CLEAR', 'Wrong-day boarding pass'),
}
# Only a CLEAR traveller whose every check passed leaves with one key press.
DIRECT = {'clear', 'cancelled-ban'}

# The role's decision for a verdict: (button, reason for its dialog or None,
# what the timeline then shows). Allow exit on a verified CLEAR needs no dialog.
DECISIONS = {
    'immigration': {
        'CLEAR': ('Allow exit', None, 'Allow exit'),
        'STOP': ('Deny exit', '', 'Deny exit · 1234/TB-HQ'),
        'REFER': ('Refer to customs', '', 'Refer to customs'),
        'REVIEW': ('Escalate', 'Birth date differs from the ban', 'Escalated: Birth date differs from the ban'),
    },
    'customs': {
        'CLEAR': ('Record findings', 'Nothing declared, nothing found',
                  'Record findings · Nothing found · Nothing declared, nothing found'),
        'STOP': ('Escalate', 'Exit ban: immigration to decide', 'Escalated: Exit ban: immigration to decide'),
        'REFER': ('Select for screening', '', 'Select for screening'),
        'REVIEW': ('Refer to immigration', '', 'Refer to immigration'),
    },
    'supervisor': {
        'CLEAR': ('Override', 'Checked by the supervisor', 'Override · Checked by the supervisor'),
        'STOP': ('Override', 'Ban lifted by phone, notice follows', 'Override · Ban lifted by phone, notice follows'),
        'REFER': ('Override', 'Customs already screened', 'Override · Customs already screened'),
        'REVIEW': ('Clear false positive', 'Another person: birth certificate shown',
                   'Clear false positive · Another person: birth certificate shown'),
    },
}

ACCOUNTS = {'immigration': ('IMM-01', '1111'), 'customs': ('CUS-01', '2222'), 'supervisor': ('SUP-01', '3333')}

# Who presents which travellers: immigration all of them, the others a few.
RUNS = [
    ('immigration', list(SCENARIOS)),
    ('customs', ['customs-referral', 'exit-ban', 'clear']),
    ('supervisor', ['possible-match', 'exit-ban']),
]


# dogtail takes sys.stdout over for its log: TAP goes to the real one
OUT = sys.__stdout__


def say(line):
    OUT.write(line + '\n')
    OUT.flush()


def fail(message):
    say('not ok - ' + message)
    sys.exit(1)


def wait(condition, what, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    fail(f'timed out waiting for {what}')


def screenshot(name):
    import gi
    gi.require_version('Gdk', '3.0')
    from gi.repository import Gdk
    os.makedirs(SHOTS, exist_ok=True)
    root = Gdk.get_default_root_window()
    pixbuf = Gdk.pixbuf_get_from_window(root, 0, 0, root.get_width(), root.get_height())
    pixbuf.savev(os.path.join(SHOTS, name + '.png'), 'png', [], [])


def main():
    env = dict(os.environ)
    config_home = tempfile.mkdtemp(prefix='tp-e2e-config-')
    env.update({
        'XDG_CONFIG_HOME': config_home,
        'GSETTINGS_BACKEND': 'keyfile',
        'GSETTINGS_SCHEMA_DIR': os.path.join(BUILD, 'data'),
        'TOUCHPOINT_LOCALEDIR': os.path.join(BUILD, 'po'),
        'LANGUAGE': 'en',
        'LC_ALL': 'C.UTF-8',
        'GTK_A11Y': 'atspi',
        'GDK_BACKEND': 'x11',
    })
    os.environ.update({k: env[k] for k in ('XDG_CONFIG_HOME', 'GSETTINGS_BACKEND')})
    subprocess.run(['gsettings', 'set', 'org.gnome.desktop.interface', 'toolkit-accessibility', 'true'],
                   env=env, check=True)
    # a window that fills the screen, as at a counter
    subprocess.run(['gsettings', 'set', 'org.touchpoint.Touchpoint', 'idle-lock-minutes', '0'], env=env, check=True)

    from dogtail import tree
    from dogtail.config import config
    config.searchShowingOnly = False
    config.defaultDelay = 0.1
    config.searchCutoffCount = 50
    config.logDebugToStdOut = False
    config.logDebugToFile = False

    app_process = subprocess.Popen([os.path.join(BUILD, 'ui', 'touchpoint'), '--demo'], env=env)
    try:
        app = wait(lambda: next((a for a in tree.root.applications()
                                 if a.get_process_id() == app_process.pid), None), 'the application on AT-SPI')

        def find(name, role=None, root=None):
            return (root or app).child(name=name, roleName=role) if role else (root or app).child(name=name)

        # found once: their names change in place (an AT-SPI search of the
        # whole window takes a while)
        nodes = {}

        def node(key, predicate):
            if key not in nodes:
                found = app.findChildren(predicate)
                if not found:
                    return None
                nodes[key] = found[0]
            return nodes[key]

        def banner():
            n = node('banner', lambda n: n.roleName == 'status bar' and n.name.startswith('Verdict: '))
            return n.name if n else None

        def panel_status():
            n = node('panel', lambda n: n.roleName == 'status bar' and n.name.startswith('Presented: '))
            return n.name if n else None

        def sign_in(officer, pin):
            field = wait(lambda: next(iter(app.findChildren(lambda n: n.roleName == 'text' and n.name == 'Officer ID')),
                                      None), 'the sign-in page')
            field.text = officer
            find('PIN', 'password text').text = pin
            button = find('Sign in', 'push button')
            wait(lambda: button.sensitive, 'the Sign in button to be enabled (the store opened)')
            button.doActionNamed('click')
            wait(lambda: app.findChildren(lambda n: n.roleName == 'status bar' and n.name.startswith('Signed in: ' + officer)),
                 f'{officer} signed in')

        def lock(officer):
            # the next officer signs in on the lock screen, which ends this session
            find('Lock', 'push button').doActionNamed('click')
            wait(lambda: app.findChildren(lambda n: n.roleName == 'status bar' and
                                          n.name.startswith('Signed in: ' + officer) and n.name.endswith(', locked')),
                 f'{officer} locked')

        def timeline_has(text):
            timeline = node('timeline', lambda n: n.roleName == 'list' and n.name == 'Timeline')
            return timeline.findChildren(lambda n: n.name == text)

        def scenario_button(scenario):
            panel = node('travellers', lambda n: n.roleName == 'list' and n.name == 'Demo travellers')
            return panel.child(name='Demo traveller: ' + scenario, roleName='push button')

        def decision_button(name):
            bar = node('decisions', lambda n: n.name == 'Decision' and n.roleName != 'label')
            found = bar.findChildren(lambda n: n.roleName == 'push button' and n.name == name)
            return found[0] if found else None

        def dialog_named(name):
            # dialogs are the application's top-level windows
            return next((w for w in app.children if w.name == name), None)

        n = 0
        for role, scenarios in RUNS:
            officer, pin = ACCOUNTS[role]
            sign_in(officer, pin)
            if role == 'immigration':
                screenshot('counter-empty')
            for scenario in scenarios:
                expected, title = SCENARIOS[scenario]
                scenario_button(scenario).doActionNamed('click')
                # the panel says so once the new traveller's case is the counter's
                wait(lambda: panel_status() == 'Presented: ' + title, f'{scenario} presented')
                # the verdict, once the chip is read and the pass scanned
                verdict = wait(lambda: banner() != 'Verdict: none' and banner(), f'a verdict for {scenario}')
                if verdict != 'Verdict: ' + expected:
                    fail(f'{role} {scenario}: banner says {verdict!r}, expected Verdict: {expected}')
                wait(lambda: decision_button(DECISIONS[role][expected][0]) is not None and
                     decision_button(DECISIONS[role][expected][0]).sensitive,
                     f'{DECISIONS[role][expected][0]} enabled for {scenario}')
                if role == 'immigration' and scenario in ('exit-ban', 'tampered-chip', 'possible-match', 'clear'):
                    screenshot(f'case-{scenario}')
                button, reason, shown = DECISIONS[role][expected]
                # a verified CLEAR leaves with one press; the others ask first
                direct = button == 'Allow exit' and scenario in DIRECT
                decision_button(button).doActionNamed('click')
                if not direct:
                    dialog = wait(lambda: dialog_named(button), f'the {button} dialog')
                    if reason:
                        dialog.child(name='Reason', roleName='text').text = reason
                    if role == 'immigration' and scenario == 'exit-ban':
                        screenshot('decision-deny-exit')
                    if os.environ.get('TP_E2E_DEBUG'):
                        for node in dialog.findChildren(lambda x: True):
                            say(f'# {node.roleName} {node.name!r} sensitive={node.sensitive}')
                    # libadwaita names its response buttons twice over ("Deny exit Deny exit")
                    confirm = wait(lambda: next(iter(dialog.findChildren(
                        lambda n: n.roleName == 'push button' and n.name in (button, f'{button} {button}')
                        and n.sensitive)), None), f'{button} confirmable')
                    confirm.doActionNamed('click')
                wait(lambda: timeline_has(shown), f'{shown!r} on the timeline of {scenario}')
                n += 1
                say(f'ok {n} - {role} {scenario}: {verdict}, {button} recorded')
            lock(officer)
            # the decision bar is rebuilt for the next role
            nodes.pop('decisions', None)
            if role == 'immigration':
                screenshot('locked')
        say(f'1..{n}')
    finally:
        app_process.terminate()
        try:
            app_process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            app_process.kill()


if __name__ == '__main__':
    try:
        main()
    except SystemExit:
        raise
    except BaseException:
        # dogtail owns sys.stderr by now
        import traceback
        traceback.print_exc(file=sys.__stderr__)
        say('not ok - the test itself failed (traceback above)')
        sys.exit(1)
