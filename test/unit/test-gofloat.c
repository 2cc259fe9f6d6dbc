/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Go float text against kubectl kustomize v5.5.0 (kubectl v1.32.4).  Every
 * expected string was printed by kubectl: ga_fmt_float_go() rows by
 * expanding a var that points at a float inside a longer string (kustomize
 * formats it with Go's %v, i.e. FormatFloat 'g' -1), ga_fmt_float_kustomize()
 * rows by building a custom resource holding the float, ga_fmt_float_json()
 * rows by kubectl label --local -o json (encoding/json), and parse rows by
 * checking whether kubectl read the text as a float or kept the string.
 */
#include "util/gofloat.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static const struct fmt_row {
	double x;
	const char *want;
} go_rows[] = {
    {1e6, "1e+06"},
    {1000000.0, "1e+06"},
    {100000.0, "100000"},
    {999999.0, "999999"},
    {1e21, "1e+21"},
    {1e20, "1e+20"},
    {0.00001, "1e-05"},
    {0.0001, "0.0001"},
    {1234567.5, "1.2345675e+06"},
    {123456.5, "123456.5"},
    {-0.0, "-0"},
    {0.0, "0"},
    {1.0, "1"},
    {-1.0, "-1"},
    {3.0e15, "3e+15"},
    {123456789.0, "1.23456789e+08"},
    {5e-324, "5e-324"},
    {0.1, "0.1"},
    {2.5, "2.5"},
    {1e-4, "0.0001"},
    {1e-5, "1e-05"},
    {1.5e-5, "1.5e-05"},
    {1e300, "1e+300"},
    {1.7976931348623157e308, "1.7976931348623157e+308"},
    {2.2250738585072014e-308, "2.2250738585072014e-308"},
    {9007199254740993.0, "9.007199254740992e+15"},
    {18446744073709551616.0, "1.8446744073709552e+19"},
    {9223372036854775808.0, "9.223372036854776e+18"},
    {100.0, "100"},
    {1e5, "100000"},
    {-1e6, "-1e+06"},
    {12345678.0, "1.2345678e+07"},
    {0.000123, "0.000123"},
    {0.0000123, "1.23e-05"},
    {393.8607333123616, "393.8607333123616"},
    {95528975.35662808, "9.552897535662808e+07"},
    {-0.0009848900964234157, "-0.0009848900964234157"},
    {-113908625642323.0, "-1.13908625642323e+14"},
    {-3.861082807038446e+16, "-3.861082807038446e+16"},
    {-28832856.395817786, "-2.8832856395817786e+07"},
    {-3.0917424654905545e-12, "-3.0917424654905545e-12"},
    {1.6749412527804863e+21, "1.6749412527804863e+21"},
    {215696707127.0, "2.15696707127e+11"},
    {9.417187937408822e+17, "9.417187937408822e+17"},
    {7.289780527511491e+20, "7.289780527511491e+20"},
    {-8.176068000910171e+20, "-8.176068000910171e+20"},
    {204765121614.0, "2.04765121614e+11"},
    {4.851681991685008e+20, "4.851681991685008e+20"},
    {-4392729685215.0, "-4.392729685215e+12"},
    {0.008876076089850206, "0.008876076089850206"},
    {3889790985.0, "3.889790985e+09"},
    {-1.9638774021874195e-07, "-1.9638774021874195e-07"},
    {-796866574762.082, "-7.96866574762082e+11"},
    {0.07434005096477035, "0.07434005096477035"},
    {-3710427093.0, "-3.710427093e+09"},
    {-5.0828007003001384e-09, "-5.0828007003001384e-09"},
    {0.09585793013220129, "0.09585793013220129"},
    {74.45160306718775, "74.45160306718775"},
    {1.1509465671359166e+19, "1.1509465671359166e+19"},
    {-1.088068965403688e-10, "-1.088068965403688e-10"},
    {-0.00689390203696163, "-0.00689390203696163"},
    {-949.6785278563146, "-949.6785278563146"},
    {-1.957402177325339e+19, "-1.957402177325339e+19"},
    {-1.126233859986985e+18, "-1.126233859986985e+18"},
    {-3.9728264069814776e+21, "-3.9728264069814776e+21"},
    {9.584714107608751e-12, "9.584714107608751e-12"},
    {-52565812.16948524, "-5.256581216948524e+07"},
    {6.764298968463444e-09, "6.764298968463444e-09"},
    {-4173184995.0, "-4.173184995e+09"},
    {901029313707746.0, "9.01029313707746e+14"},
    {-3.741787955477039e+20, "-3.741787955477039e+20"},
    {-46951615282.0, "-4.6951615282e+10"},
    {0.05862839142344552, "0.05862839142344552"},
    {-1.3517915805232984e-07, "-1.3517915805232984e-07"},
    {0x1p-1074, "5e-324"},
    {0x1p-1022, "2.2250738585072014e-308"},
    {0x1p-1017, "7.120236347223045e-307"},
    {0x1p-1007, "7.291122019556398e-304"},
    {0x1p-957, "8.209073602596753e-289"},
    {0x1p-921, "5.641232424577593e-278"},
    {0x1p-808, "5.858190679279809e-244"},
    {0x1p-1, "0.5"},
    {0x1p64, "1.8446744073709552e+19"},
    {0x1p1023, "8.98846567431158e+307"},
};

static const struct fmt_row kustomize_rows[] = {
    {0x1p0, "1"},
    {0x1p1, "2"},
    {0x1p52, "4503599627370496"},
    {0x1p53, "9007199254740992"},
    {0x1p63, "9223372036854776000"},
    {8.0, "8"},
    {9.0, "9"},
    {-9.223372036854776e+18, "-9.223372036854776e+18"},
    {1.8446744073709552e+19, "1.8446744073709552e+19"},
    {9.223372036854776e+18, "9223372036854776000"},
    {1.0, "1"},
    {1.5, "1.5"},
    {1000.0, "1000"},
    {-0.0, "0"},
    {1e-06, "1e-06"},
    {1e-07, "1e-07"},
    {1e+21, "1e+21"},
    {1e+20, "1e+20"},
    {1.2345678901234569e+23, "1.2345678901234569e+23"},
    {3.141592653589793, "3.141592653589793"},
    {1234567.5, "1.2345675e+06"},
    {123456.5, "123456.5"},
    {0.0001, "0.0001"},
    {1e-05, "1e-05"},
    {100000.0, "100000"},
    {-0.5, "-0.5"},
    {0.5, "0.5"},
    {500.0, "500"},
    {0.0005, "0.0005"},
    {0.0, "0"},
    {1.7976931348623157e+308, "1.7976931348623157e+308"},
    {0.1, "0.1"},
    {0.2, "0.2"},
    {0.3, "0.3"},
    {1000000.0, "1000000"},
    {999999.9, "999999.9"},
    {1000000000000000.0, "1000000000000000"},
    {1e+16, "10000000000000000"},
    {1e+17, "100000000000000000"},
    {1e+18, "1000000000000000000"},
    {1e+19, "10000000000000000000"},
    {1.844674407370955e+19, "18446744073709550000"},
    {-1e+19, "-1e+19"},
    {0.001, "0.001"},
    {89.0, "89"},
    {679.1495222236099, "679.1495222236099"},
    {-2.989452455894548e-07, "-2.989452455894548e-07"},
    {-940278.4844846446, "-940278.4844846446"},
    {-4110812.05023246, "-4.11081205023246e+06"},
    {-3.468068334360956e-85, "-3.468068334360956e-85"},
    {335791.47938221076, "335791.47938221076"},
    {-1.3820816268679183e-117, "-1.3820816268679183e-117"},
    {-71919657989371.1, "-7.19196579893711e+13"},
    {-3.134141599182467e+21, "-3.134141599182467e+21"},
    {7083476.816660378, "7.083476816660378e+06"},
    {7889888.384117141, "7.889888384117141e+06"},
    {6988829.139408447, "6.988829139408447e+06"},
    {7.669492528620572e-05, "7.669492528620572e-05"},
    {1.1554666607190561e+169, "1.1554666607190561e+169"},
    {623653.1063478556, "623653.1063478556"},
    {1.485714339059152, "1.485714339059152"},
    {-9119960.358511135, "-9.119960358511135e+06"},
    {1.9693721937959353e-285, "1.9693721937959353e-285"},
    {-493915.5986491293, "-493915.5986491293"},
    {-4.336133925107891e+43, "-4.336133925107891e+43"},
    {1.0743030475716402e+212, "1.0743030475716402e+212"},
    {2.794655766512329e+156, "2.794655766512329e+156"},
    {1.0629542477011113e-274, "1.0629542477011113e-274"},
    {5115451352955218.0, "5115451352955218"},
    {-8.490969857135082e-124, "-8.490969857135082e-124"},
    {1.5198724600951734e+223, "1.5198724600951734e+223"},
    {2.31472979880147e+56, "2.31472979880147e+56"},
    {4.6678633181812096e-36, "4.6678633181812096e-36"},
    {3852504.2896784414, "3.8525042896784414e+06"},
    {-9.721565446084252e-247, "-9.721565446084252e-247"},
    {-3533816.28330814, "-3.53381628330814e+06"},
    {-3967694.1742523983, "-3.9676941742523983e+06"},
    {8.561713287248172e-138, "8.561713287248172e-138"},
    {2057901.9966987893, "2.0579019966987893e+06"},
    {1101275.8491072897, "1.1012758491072897e+06"},
    {-8.287614082005165e-175, "-8.287614082005165e-175"},
    {7.19616430630608e+293, "7.19616430630608e+293"},
    {5.743310614918485e-213, "5.743310614918485e-213"},
    {1.3476534683477447e-25, "1.3476534683477447e-25"},
    {-3.4527028880626536e-07, "-3.4527028880626536e-07"},
    {2.629807170570771e-274, "2.629807170570771e-274"},
    {-5877664.342054572, "-5.877664342054572e+06"},
    {-557189.6076632645, "-557189.6076632645"},
    {0.0008985029287296122, "0.0008985029287296122"},
    {4.669604497213042e+23, "4.669604497213042e+23"},
    {8.779753225680271e-236, "8.779753225680271e-236"},
    {4466721.885798233, "4.466721885798233e+06"},
    {1.8559166032057722e+304, "1.8559166032057722e+304"},
    {83455038.85037395, "8.345503885037395e+07"},
    {6.779048301501982e-70, "6.779048301501982e-70"},
};

/* Printed by kubectl label --local -o json, which uses encoding/json. */
static const struct fmt_row json_rows[] = {
    {1.5e-07, "1.5e-7"},
    {1e+21, "1e+21"},
    {1e-06, "0.000001"},
    {123456789.5, "123456789.5"},
    {1e-10, "1e-10"},
    {2e-300, "2e-300"},
    {9.999e-07, "9.999e-7"},
    {9.99e-07, "9.99e-7"},
    {1.5, "1.5"},
    {0.1, "0.1"},
    {5e-324, "5e-324"},
    {1.7976931348623157e+308, "1.7976931348623157e+308"},
    {1e+22, "1e+22"},
    {1.2345678901234569e+23, "1.2345678901234569e+23"},
    {9.999999999999999e+20, "999999999999999900000"},
    {1e+20, "100000000000000000000"},
    {0.5, "0.5"},
    {-1.5e-07, "-1.5e-7"},
    {-1e+21, "-1e+21"},
    {2.2250738585072014e-308, "2.2250738585072014e-308"},
    {1e-07, "1e-7"},
    {1e-09, "1e-9"},
    {1.234e-100, "1.234e-100"},
    {1e-05, "0.00001"},
    {0.000123, "0.000123"},
    {-2.9653672777871535e-293, "-2.9653672777871535e-293"},
    {5.947983006784754e-07, "5.947983006784754e-7"},
    {-9.991207357199837e+19, "-99912073571998370000"},
    {-8.372793920651074e+178, "-8.372793920651074e+178"},
    {1.0208999687603695e-288, "1.0208999687603695e-288"},
    {7.2898966838989455e+56, "7.2898966838989455e+56"},
    {3.214133816436458e+29, "3.214133816436458e+29"},
    {1.0556226149526382e+116, "1.0556226149526382e+116"},
    {1.9254516191007128e+284, "1.9254516191007128e+284"},
    {1.10542103099626e-56, "1.10542103099626e-56"},
    {-4.077330572571178e+283, "-4.077330572571178e+283"},
    {6.352929017207453e-183, "6.352929017207453e-183"},
    {6.692682433028989e-07, "6.692682433028989e-7"},
    {-7.956888545651102e-52, "-7.956888545651102e-52"},
    {7.748905893666959e+276, "7.748905893666959e+276"},
    {9.256187959081318e-134, "9.256187959081318e-134"},
    {-1.2522435572572175e+179, "-1.2522435572572175e+179"},
    {1.4305742796393634e-112, "1.4305742796393634e-112"},
    {2.0613939244749895e-269, "2.0613939244749895e-269"},
    {1.5103241889995608e+48, "1.5103241889995608e+48"},
    {0.23487487514795236, "0.23487487514795236"},
    {93553.9298906666, "93553.9298906666"},
    {2.8849139884796337e+20, "288491398847963370000"},
    {-1.1886121965084585e+285, "-1.1886121965084585e+285"},
};

static void check_rows(const struct fmt_row *rows, size_t n,
                       int (*fmt)(char *, size_t, double))
{
	char buf[GA_FMT_FLOAT_MAX];

	for (size_t k = 0; k < n; k++) {
		int failed = th_current_failed;

		th_current_failed = 0;
		memset(buf, 0, sizeof(buf));
		CHECK_OK(fmt(buf, sizeof(buf), rows[k].x));
		CHECK_EQ_STR(buf, rows[k].want);
		if (th_current_failed)
			printf("#   x = %.17g\n", rows[k].x);
		th_current_failed |= failed;
	}
}

static void test_fmt_go(void)
{
	check_rows(go_rows, sizeof(go_rows) / sizeof(*go_rows),
	           ga_fmt_float_go);
}

static void test_fmt_kustomize(void)
{
	check_rows(kustomize_rows,
	           sizeof(kustomize_rows) / sizeof(*kustomize_rows),
	           ga_fmt_float_kustomize);
}

static void test_fmt_json(void)
{
	char buf[GA_FMT_FLOAT_MAX];

	check_rows(json_rows, sizeof(json_rows) / sizeof(*json_rows),
	           ga_fmt_float_json);
	/*
	 * Not observable through kubectl, which re-decodes its JSON: Go's
	 * AppendFloat writes the sign of a negative zero.
	 */
	CHECK_OK(ga_fmt_float_json(buf, sizeof(buf), -0.0));
	CHECK_EQ_STR(buf, "-0");
	CHECK_ERR(ga_fmt_float_json(buf, sizeof(buf), -INFINITY), GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message, "json: unsupported value: -Inf");
	CHECK_ERR(ga_fmt_float_json(buf, 5, 1.5e-7), GA_ELIMIT);
}

static void test_fmt_nonfinite(void)
{
	char buf[GA_FMT_FLOAT_MAX] = "untouched";

	/* kustomize fails the build with exactly these messages. */
	CHECK_ERR(ga_fmt_float_kustomize(buf, sizeof(buf), INFINITY),
	          GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message, "json: unsupported value: +Inf");
	CHECK_ERR(ga_fmt_float_kustomize(buf, sizeof(buf), -INFINITY),
	          GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message, "json: unsupported value: -Inf");
	CHECK_ERR(ga_fmt_float_kustomize(buf, sizeof(buf), NAN), GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message, "json: unsupported value: NaN");
	CHECK_ERR(ga_fmt_float_go(buf, sizeof(buf), INFINITY), GA_EINVALID);
	CHECK_ERR(ga_fmt_float_go(buf, sizeof(buf), NAN), GA_EINVALID);
	CHECK_EQ_STR(buf, "untouched");
}

static void test_fmt_cap(void)
{
	char buf[GA_FMT_FLOAT_MAX];

	/* "1e+06" needs 6 bytes with its NUL. */
	CHECK_ERR(ga_fmt_float_go(buf, 5, 1e6), GA_ELIMIT);
	CHECK_OK(ga_fmt_float_go(buf, 6, 1e6));
	CHECK_EQ_STR(buf, "1e+06");
	CHECK_ERR(ga_fmt_float_kustomize(buf, 7, 1e6), GA_ELIMIT);
	CHECK_OK(ga_fmt_float_kustomize(buf, 8, 1e6));
	CHECK_EQ_STR(buf, "1000000");
	CHECK_ERR(ga_fmt_float_go(buf, 0, 0.0), GA_ELIMIT);
	/* The longest text fits GA_FMT_FLOAT_MAX. */
	CHECK_OK(ga_fmt_float_go(buf, sizeof(buf), -2.2250738585072014e-308));
	CHECK_EQ_STR(buf, "-2.2250738585072014e-308");
	CHECK_OK(ga_fmt_float_go(buf, sizeof(buf), -0.00012345678901234567));
	CHECK_EQ_STR(buf, "-0.00012345678901234567");
}

static const struct parse_row {
	const char *in;
	int err;
	const char *want; /* ga_fmt_float_go() of the result */
} parse_rows[] = {
    {".5", 0, "0.5"},
    {".5_5", 0, "0.55"},
    {".5e3", 0, "500"},
    {".5E-3", 0, "0.0005"},
    {".5e1_0", 0, "5e+09"},
    {".5e-999", 0, "0"},
    {"1e-400", 0, "0"},
    {"-1e-400", 0, "-0"},
    {"2.5e-324", 0, "5e-324"},
    {"2e-324", 0, "0"},
    {"1.7976931348623158e308", 0, "1.7976931348623157e+308"},
    {"3.14159265358979323846", 0, "3.141592653589793"},
    {"1.", 0, "1"},
    {"+.5", 0, "0.5"},
    {".5__5", GA_EINVALID, NULL},
    {"._5", GA_EINVALID, NULL},
    {".5_", GA_EINVALID, NULL},
    {".", GA_EINVALID, NULL},
    {"..", GA_EINVALID, NULL},
    {".e5", GA_EINVALID, NULL},
    {".a", GA_EINVALID, NULL},
    {".5.", GA_EINVALID, NULL},
    {"", GA_EINVALID, NULL},
    {".5e999", GA_ELIMIT, NULL},
    {"1e400", GA_ELIMIT, NULL},
    {"-1e400", GA_ELIMIT, NULL},
    {"1.7976931348623159e308", GA_ELIMIT, NULL},
};

static void test_parse_go(void)
{
	char buf[GA_FMT_FLOAT_MAX];

	for (size_t k = 0; k < sizeof(parse_rows) / sizeof(*parse_rows); k++) {
		const struct parse_row *r = &parse_rows[k];
		int failed = th_current_failed;
		double x = 42.0;

		th_current_failed = 0;
		CHECK_EQ_INT(ga_parse_float_go(&x, r->in, strlen(r->in)),
		             r->err);
		if (r->want) {
			CHECK_OK(ga_fmt_float_go(buf, sizeof(buf), x));
			CHECK_EQ_STR(buf, r->want);
		} else {
			/* *out is written only on success. */
			CHECK(x == 42.0);
		}
		if (th_current_failed)
			printf("#   input \"%s\"\n", r->in);
		th_current_failed |= failed;
	}
	CHECK_ERR(ga_parse_float_go(&(double){0}, "1e400", 5), GA_ELIMIT);
	CHECK_EQ_STR(
	    ga_error_last()->message,
	    "strconv.ParseFloat: parsing \"1e400\": value out of range");
	CHECK_ERR(ga_parse_float_go(&(double){0}, "._5", 3), GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message,
	             "strconv.ParseFloat: parsing \"._5\": invalid syntax");
}

/* goyaml deletes every '_' before its float pattern and ParseFloat. */
static void test_from_decimal(void)
{
	char buf[GA_FMT_FLOAT_MAX];
	double x = 0;

	CHECK_OK(ga_float_from_decimal(&x, "1_0.5", 5));
	CHECK(x == 10.5);
	CHECK_OK(ga_float_from_decimal(&x, "1_000.5", 7));
	CHECK(x == 1000.5);
	CHECK_OK(ga_float_from_decimal(&x, "-0.0", 4));
	CHECK(x == 0.0 && signbit(x));
	CHECK_OK(ga_float_from_decimal(&x, "08", 2));
	CHECK(x == 8.0);
	CHECK_OK(ga_float_from_decimal(&x, "123456789012345678901234", 24));
	CHECK_OK(ga_fmt_float_go(buf, sizeof(buf), x));
	CHECK_EQ_STR(buf, "1.2345678901234569e+23");
	/* The length bounds the input, not a NUL. */
	CHECK_OK(ga_float_from_decimal(&x, "2.5xyz", 3));
	CHECK(x == 2.5);
	CHECK_ERR(ga_float_from_decimal(&x, "1e", 2), GA_EINVALID);
	CHECK_ERR(ga_float_from_decimal(&x, "0x1p3", 5), GA_EINVALID);
	CHECK_ERR(ga_float_from_decimal(&x, "1.2.3", 5), GA_EINVALID);
	CHECK_ERR(ga_float_from_decimal(&x, "1e99999999999999999999", 22),
	          GA_ELIMIT);
	CHECK_OK(ga_float_from_decimal(&x, "1e-99999999999999999999", 23));
	CHECK(x == 0.0);
}

/*
 * Go quirks on absurdly long numbers, all seen in kubectl: the exponent
 * keeps only its first digits once it reaches 10000, and when the fast
 * paths cannot apply, Go's 800-digit slow path loses count of integer
 * digits past the 800th (so 1 followed by 1999 zeros, times 10^-1000,
 * reads as 1e-201 instead of overflowing).
 */
static void test_from_decimal_go_limits(void)
{
	static char s[200100];
	char buf[GA_FMT_FLOAT_MAX];
	double x = -1;
	int n;

	n = snprintf(s, sizeof(s), "0.%0*d1e20005", 20000, 0);
	CHECK_OK(ga_float_from_decimal(&x, s, (size_t)n));
	CHECK(x == 10000.0);
	n = snprintf(s, sizeof(s), "0.%0*d1e200005", 200000, 0);
	CHECK_OK(ga_float_from_decimal(&x, s, (size_t)n));
	CHECK(x == 0.0);
	n = snprintf(s, sizeof(s), "1%0*de-1000", 1999, 0);
	CHECK_OK(ga_float_from_decimal(&x, s, (size_t)n));
	CHECK_OK(ga_fmt_float_go(buf, sizeof(buf), x));
	CHECK_EQ_STR(buf, "1e-201");
	n = snprintf(s, sizeof(s), "1%0*de-200000", 200000, 0);
	CHECK_OK(ga_float_from_decimal(&x, s, (size_t)n));
	CHECK(x == 0.0);
	n = snprintf(s, sizeof(s), "1%0*de-700", 1000, 0);
	CHECK_OK(ga_float_from_decimal(&x, s, (size_t)n));
	CHECK(x == 1e300);
}

/*
 * The library never calls setlocale(), but its host may: text must keep
 * '.' under a locale whose radix is ','.  Skipped where no such locale is
 * installed.
 */
static void test_locale_independent(void)
{
	static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8",
	                                    "fr_FR.UTF-8", "de_DE"};
	char buf[GA_FMT_FLOAT_MAX];
	const char *set = NULL;
	double x = 0;

	for (size_t k = 0; !set && k < sizeof(names) / sizeof(*names); k++)
		set = setlocale(LC_NUMERIC, names[k]);
	if (!set) {
		printf("# no comma-radix locale installed; skipped\n");
		return;
	}
	CHECK_OK(ga_fmt_float_go(buf, sizeof(buf), 1234567.5));
	CHECK_EQ_STR(buf, "1.2345675e+06");
	CHECK_OK(ga_fmt_float_go(buf, sizeof(buf), 0.1));
	CHECK_EQ_STR(buf, "0.1");
	CHECK_OK(ga_parse_float_go(&x, ".5_5", 4));
	CHECK(x == 0.55);
	CHECK_ERR(ga_parse_float_go(&x, "1,5", 3), GA_EINVALID);
	(void)setlocale(LC_NUMERIC, "C");
}

int main(void)
{
	RUN(test_fmt_go);
	RUN(test_fmt_kustomize);
	RUN(test_fmt_json);
	RUN(test_fmt_nonfinite);
	RUN(test_fmt_cap);
	RUN(test_parse_go);
	RUN(test_from_decimal);
	RUN(test_from_decimal_go_limits);
	RUN(test_locale_independent);
	return DONE();
}
