/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kubeconfig kubesim writes for its clients (kubectl, client-go, the
 * agent): one cluster, one user with a bearer token, one context, current.
 * The CA travels inline as certificate-authority-data (base64 of the PEM,
 * RFC 4648 with padding), so the file alone is enough.
 */
#include "kubesim.h"

#include <string.h>

#include "ga/error.h"
#include "ga/fs.h"

static void base64(ga_buf *out, const char *data, size_t len)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
	                          "opqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)data;
	const char pad = '=';
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		unsigned v =
		    (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		(void)ga_buf_putc(out, tab[v >> 18 & 63]);
		(void)ga_buf_putc(out, tab[v >> 12 & 63]);
		(void)ga_buf_putc(out, tab[v >> 6 & 63]);
		(void)ga_buf_putc(out, tab[v & 63]);
	}
	if (i < len) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)p[i + 1] << 8;
		(void)ga_buf_putc(out, tab[v >> 18 & 63]);
		(void)ga_buf_putc(out, tab[v >> 12 & 63]);
		(void)ga_buf_putc(out, tab[v >> 6 & 63]);
		if (i + 1 >= len)
			ga_buf_truncate(out, out->size - 1),
			    (void)ga_buf_putc(out, pad);
		(void)ga_buf_putc(out, pad);
	}
}

int ks_kubeconfig_write(const char *path, const char *server_url,
                        const char *ca_pem, const char *token)
{
	ga_buf b = GA_BUF_INIT((size_t)1 << 20);
	int err;

	(void)ga_buf_printf(&b,
	                    "apiVersion: v1\nkind: Config\nclusters:\n"
	                    "- name: kubesim\n  cluster:\n    server: %s\n",
	                    server_url);
	if (ca_pem) {
		(void)ga_buf_puts(&b, "    certificate-authority-data: ");
		base64(&b, ca_pem, strlen(ca_pem));
		(void)ga_buf_putc(&b, '\n');
	}
	(void)ga_buf_puts(&b, "users:\n- name: kubesim\n  user:");
	if (token)
		(void)ga_buf_printf(&b, "\n    token: %s\n", token);
	else
		(void)ga_buf_puts(&b, " {}\n");
	(void)ga_buf_puts(&b, "contexts:\n- name: kubesim\n  context:\n"
	                      "    cluster: kubesim\n    user: kubesim\n"
	                      "    namespace: default\n"
	                      "current-context: kubesim\n");
	if ((err = b.err) == 0)
		err = ga_file_write_atomic(path, b.ptr, b.size);
	ga_buf_dispose(&b);
	return err;
}
