# -*- coding: utf-8 -*-
# Copyright: KafkaPilot developers. Apache-2.0.
"""What the target module and the controller must agree on (Python 3.6+, standard library only).

Imported by the host_requests module (shipped to the targets with it) and by the controller's
plugin_utils (redaction, the raw transport).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

#: Files never copied into a snapshot (keystores, truststores, private keys): stat and sha256 only.
KEYSTORE_SUFFIXES = (".jks", ".p12", ".pfx", ".pem", ".key", ".keystore", ".truststore", ".bcfks")

#: The requests the host_requests module answers; the raw transport answers the same ones (or says
#: which it cannot: perfdata and certs need Python on the host).
OP_NAMES = ("read", "logs", "stat", "glob", "run", "procs", "dirusage", "sysctl", "nproc", "clock", "http",
            "fourlw", "units", "toolrun", "perfdata", "certs")
