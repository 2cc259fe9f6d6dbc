object 7d6d9ab8a1f2078d81138dbe5ef6b4668a733995
type commit
tag v1
tagger Tester <tester@example.com> 1714564800 +0000

release one
-----BEGIN PGP SIGNATURE-----

iIcEABYIAC8WIQRlt1jqOYOVK0ZUWF2xVgyLMtrG1gUCawmWYxEcZ29vZEBleGFt
cGxlLmNvbQAKCRCxVgyLMtrG1pXhAQCXB9LmpIYrmzO1KfAKTY4oef7wjhec1eGE
K+DpYf3oXgEAikUzQMvA70W3ULIiQUOl23jBSJJbO3M8m1Mca1yluQ8=
=dbEO
-----END PGP SIGNATURE-----
