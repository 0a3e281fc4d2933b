"""A workspace's mailboxes: SMTP out (compose; send: the transports' contract, the demo and
in-memory transports; smtp: the SMTP client; the Sent folder), IMAP in (the mail
source), the message format (MIME parsing, HTML to text, quotes and signatures), the
unsubscribe links, and adding a mailbox to a workspace (accounts).

Transport and format only: what a message means and what to do about it is ``replies``.
Imports ``store``, ``secrets``, ``addresses`` and ``errors`` only.
"""
