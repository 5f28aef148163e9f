# libnss-iana.nss - where dh_installnss puts "iana" on the services line of
# /etc/nsswitch.conf.  After "files", so that the administrator's
# /etc/services keeps the first word; on a services line without "files",
# at its end (the second line runs only when no "files" is there).  When
# "iana" is already on the line, wherever the administrator put it,
# nothing changes.  Removing the package takes "iana" out again.
services after=files iana
services last iana skip-if-present=files
