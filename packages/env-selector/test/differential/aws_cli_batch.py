"""Runs the AWS CLI v2's own code (Debian's awscli, /usr/lib/python3/dist-packages) for many shared
config files in one python3 process, so the differential suite pays the CLI's start-up once per
batch instead of ~0.5 s per call.

Input (argv[1]): a JSON file, a list of jobs {"id", "env", "profiles"}. For each job, with exactly
that environment: `aws configure list-profiles`, then per profile the credential method botocore's
resolver picks (`Session(profile=P).get_credentials().method`, which does not call any service for
roles, SSO or web identity: their credentials are deferred) and, where that method needs no network
(keys or credential_process), the credentials it gives (what export-credentials prints) and, for the
first `exports` such profiles of the job (default 1), `aws configure export-credentials --profile P
--format process` itself, whose output must agree.
Every CLI call goes through a fresh `create_clidriver().main([...])`: the CLI's real code path.
Output: one JSON document on the real stdout.
"""

import contextlib
import io
import json
import os
import sys

sys.path.insert(0, '/usr/lib/python3/dist-packages')

import awscli  # noqa: E402  (sets AWS_DATA_PATH, which the CLI's data loader needs)
import awscli.botocore.session  # noqa: E402
from awscli.clidriver import create_clidriver  # noqa: E402

KEEP = {k: v for k, v in os.environ.items() if k in ('AWS_DATA_PATH', 'PATH', 'LANG', 'LC_ALL')}
LOCAL_METHODS = ('shared-credentials-file', 'config-file', 'custom-process')


def use_env(env):
    os.environ.clear()
    os.environ.update(KEEP)
    os.environ.update(env)


def cli(args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = create_clidriver().main(args)
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 1
        except Exception as e:  # the CLI turns most errors into rc 255 itself
            rc = 255
            err.write('%s: %s' % (type(e).__name__, e))
    return {'rc': rc, 'out': out.getvalue(), 'err': err.getvalue()[-400:]}


def resolve(profile):
    """botocore's resolver as export-credentials uses it: the method, and for local methods the keys."""
    try:
        creds = awscli.botocore.session.Session(profile=profile).get_credentials()
        if creds is None:
            return {'method': 'none'}
        entry = {'method': creds.method}
        if creds.method in LOCAL_METHODS:
            frozen = creds.get_frozen_credentials()
            entry['credentials'] = {'AccessKeyId': frozen.access_key, 'SecretAccessKey': frozen.secret_key}
            if frozen.token:
                entry['credentials']['SessionToken'] = frozen.token
        return entry
    except Exception as e:
        return {'method': 'error:' + type(e).__name__}


def main():
    with open(sys.argv[1]) as f:
        jobs = json.load(f)
    results = {}
    for job in jobs:
        use_env(job['env'])
        listed = cli(['configure', 'list-profiles'])
        profiles = {}
        exported = 0
        for name in job['profiles']:
            # export-credentials marks the environment against credential_process recursion (as a
            # child process would inherit it): every call starts from the job's env.
            use_env(job['env'])
            entry = resolve(name)
            if entry['method'] in LOCAL_METHODS and exported < job.get('exports', 1):
                use_env(job['env'])
                entry['export'] = cli(['configure', 'export-credentials', '--profile', name, '--format', 'process'])
                exported += 1
            profiles[name] = entry
        results[job['id']] = {'list': listed, 'profiles': profiles}
    sys.__stdout__.write(json.dumps(results))


if __name__ == '__main__':
    main()
