"""A workspace's mailboxes: SMTP out (compose; send: the transports' contract, the demo and
in-memory transports; smtp: the SMTP client; the Sent folder), IMAP in (the mail
source), the message format (MIME parsing, HTML to text, quotes and signatures), the
unsubscribe links, adding a mailbox to a workspace (accounts), and the pool a workspace sends
from: which mailbox writes to a new prospect (rotation), each mailbox's cap for the day
(warmup), and taking one with a bounce or complaint spike out of rotation (resting).

Transport and format only: what a message means and what to do about it is ``replies``.
Imports ``store``, ``states``, ``secrets``, ``addresses`` and ``errors`` only.
"""
