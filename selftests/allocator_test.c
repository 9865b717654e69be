// SPDX-License-Identifier: GPL-2.0
/*
 * memacct selftests: `buddy`, `zones` and `slab` against /proc/buddyinfo,
 * /proc/zoneinfo, debugfs extfrag, /proc/slabinfo and /proc/meminfo.
 *
 * The kernel's figures move all the time, even in an idle VM. A comparison
 * is made in a quiet moment: the oracle is read before and after ours, and
 * ours must equal it when the two oracle reads agree; attempts where they
 * differ are repeated, a bounded number of times.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "lib.h"
#include "kselftest_harness.h"

#define QUIET_TRIES 100

/*
 * Reads @oracle, then @ours, then @oracle; true if both oracle reads agree
 * on what @relevant keeps of them (NULL: the whole file).
 */
static bool quiet_read_of(const char *oracle, const char *ours, char **o, char **t,
			  char *(*relevant)(const char *text))
{
	char *again, *k1 = NULL, *k2 = NULL;
	bool same;

	*o = read_file(oracle, NULL);
	*t = read_file(ours, NULL);
	again = read_file(oracle, NULL);
	if (*o && again && relevant) {
		k1 = relevant(*o);
		k2 = relevant(again);
		same = k1 && k2 && !strcmp(k1, k2);
	} else {
		same = *o && again && !strcmp(*o, again);
	}
	same = same && *t;
	free(k1);
	free(k2);
	free(again);
	if (!same) {
		free(*o);
		free(*t);
		*o = *t = NULL;
	}
	return same;
}

static bool quiet_read(const char *oracle, const char *ours, char **o, char **t)
{
	return quiet_read_of(oracle, ours, o, t, NULL);
}

/* The lines of @text that start with one of @keys (NULL-terminated). */
static char *lines_with(const char *text, const char *const *keys)
{
	char *out = calloc(1, strlen(text) + 1), *copy = strdup(text), *line, *save;
	int k;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		while (*line == ' ')
			line++;
		for (k = 0; keys[k]; k++)
			if (!strncmp(line, keys[k], strlen(keys[k]))) {
				strcat(out, line);
				strcat(out, "\n");
			}
	}
	free(copy);
	return out;
}

static char *zoneinfo_relevant(const char *text)
{
	static const char *const keys[] = {
		"Node ", "pages free", "min ", "low ", "high ", "present", "managed", NULL,
	};

	return lines_with(text, keys);
}

static char *meminfo_slab(const char *text)
{
	static const char *const keys[] = { "Slab:", "SReclaimable:", "SUnreclaim:", NULL };

	return lines_with(text, keys);
}

/* Our row for node/zone/type in a buddy table, or -1. */
static int buddy_row(struct table *t, int node, const char *zone, const char *type)
{
	int r;

	for (r = 0; r < t->nrows; r++)
		if (atoi(t->rows[r][0]) == node && !strcmp(t->rows[r][1], zone) &&
		    !strcmp(t->rows[r][2], type))
			return r;
	return -1;
}

static int norders(struct table *t)
{
	int n = 0;
	char name[16];

	for (;;) {
		snprintf(name, sizeof(name), "o%d", n);
		if (table_col(t, name) < 0)
			return n;
		n++;
	}
}

FIXTURE(alloc) {
	int unused;
};

FIXTURE_SETUP(alloc)
{
	if (!module_loaded())
		ASSERT_EQ(0, module_load(NULL));
}

FIXTURE_TEARDOWN(alloc)
{
}

TEST_F(alloc, buddy_total_rows_equal_buddyinfo)
{
	char *bi, *ours, *line, *save, zone[32];
	int tries, node, r, o, n, zones = 0, cnt, off;
	struct table t;

	for (tries = 0; tries < QUIET_TRIES; tries++)
		if (quiet_read("/proc/buddyinfo", MEMACCT_DIR "/buddy", &bi, &ours))
			break;
	ASSERT_LT(tries, QUIET_TRIES) TH_LOG("buddyinfo never quiet");
	ASSERT_EQ(0, table_parse(&t, ours));
	n = norders(&t);
	ASSERT_GE(n, 11);
	for (line = strtok_r(bi, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		ASSERT_EQ(2, sscanf(line, "Node %d, zone %31s%n", &node, zone, &off));
		r = buddy_row(&t, node, zone, "total");
		ASSERT_GE(r, 0) TH_LOG("no total row for node %d zone %s", node, zone);
		for (o = 0; o < n; o++) {
			char *p = line + off;
			int k;

			for (k = 0; k <= o; k++) {
				cnt = (int)strtol(p, &p, 10);
			}
			EXPECT_EQ(cnt, atoll(t.rows[r][3 + o])) TH_LOG("%s o%d", zone, o);
		}
		zones++;
	}
	EXPECT_GT(zones, 0);
	table_free(&t);
	free(bi);
}

TEST_F(alloc, buddy_types_sum_to_total_and_free_bytes)
{
	char *a = NULL, *b = NULL;
	struct table t;
	int tries, r, o, n, total;
	long long sum, pages;

	for (tries = 0; tries < QUIET_TRIES; tries++) {
		free(a);
		free(b);
		a = read_file(MEMACCT_DIR "/buddy", NULL);
		b = read_file(MEMACCT_DIR "/buddy", NULL);
		if (a && b && !strcmp(a, b))
			break;
	}
	ASSERT_LT(tries, QUIET_TRIES);
	ASSERT_EQ(0, table_parse(&t, a));
	n = norders(&t);
	for (total = 0; total < t.nrows; total++) {
		if (strcmp(t.rows[total][2], "total"))
			continue;
		for (o = 0; o < n; o++) {
			sum = 0;
			for (r = 0; r < t.nrows; r++)
				if (r != total && !strcmp(t.rows[r][0], t.rows[total][0]) &&
				    !strcmp(t.rows[r][1], t.rows[total][1]))
					sum += atoll(t.rows[r][3 + o]);
			EXPECT_EQ(atoll(t.rows[total][3 + o]), sum)
				TH_LOG("zone %s order %d", t.rows[total][1], o);
		}
	}
	for (r = 0; r < t.nrows; r++) {
		pages = 0;
		for (o = 0; o < n; o++)
			pages += atoll(t.rows[r][3 + o]) << o;
		EXPECT_EQ(pages * 4096, table_num(&t, r, "free_bytes"));
		EXPECT_EQ(0, table_num(&t, r, "capped"));
	}
	table_free(&t);
	free(b);
}

/* "pages free" and friends of one zone in /proc/zoneinfo */
static long long zoneinfo_field(const char *zi, int node, const char *zone,
				const char *field)
{
	char head[64];
	const char *p, *end;
	char *f;
	size_t fl = strlen(field);

	snprintf(head, sizeof(head), "Node %d, zone %8s", node, zone);
	p = strstr(zi, head);
	if (!p)
		return -1;
	end = strstr(p + 1, "Node ");
	for (f = strstr(p, field); f && (!end || f < end); f = strstr(f + 1, field))
		if (f[-1] == ' ' && f[fl] == ' ')
			return atoll(f + fl);
	return -1;
}

TEST_F(alloc, zones_match_zoneinfo)
{
	char *zi, *ours;
	struct table t;
	int tries, r, node;

	for (tries = 0; tries < QUIET_TRIES; tries++)
		if (quiet_read_of("/proc/zoneinfo", MEMACCT_DIR "/zones", &zi, &ours,
				  zoneinfo_relevant))
			break;
	ASSERT_LT(tries, QUIET_TRIES);
	ASSERT_EQ(0, table_parse(&t, ours));
	ASSERT_GT(t.nrows, 0);
	for (r = 0; r < t.nrows; r++) {
		const char *zone = t.rows[r][1];

		node = atoi(t.rows[r][0]);
		EXPECT_EQ(zoneinfo_field(zi, node, zone, "managed"), table_num(&t, r, "managed"));
		EXPECT_EQ(zoneinfo_field(zi, node, zone, "present"), table_num(&t, r, "present"));
		EXPECT_EQ(zoneinfo_field(zi, node, zone, "free"), table_num(&t, r, "free"));
		EXPECT_EQ(zoneinfo_field(zi, node, zone, "min"), table_num(&t, r, "min"));
		EXPECT_EQ(zoneinfo_field(zi, node, zone, "low"), table_num(&t, r, "low"));
		EXPECT_EQ(zoneinfo_field(zi, node, zone, "high"), table_num(&t, r, "high"));
	}
	table_free(&t);
	free(zi);
}

/* Our zones columns with @prefix equal one debugfs extfrag file's rows. */
static void check_extfrag(struct __test_metadata *_metadata, const char *file,
			  const char *prefix)
{
	char *ef, *ours, *line, *save, zone[32], col[32], val[16], *p;
	struct table t;
	int tries, node, r, o, off, n;

	for (tries = 0; tries < QUIET_TRIES; tries++)
		if (quiet_read(file, MEMACCT_DIR "/zones", &ef, &ours))
			break;
	ASSERT_LT(tries, QUIET_TRIES);
	ASSERT_EQ(0, table_parse(&t, ours));
	for (line = strtok_r(ef, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		ASSERT_EQ(2, sscanf(line, "Node %d, zone %31s%n", &node, zone, &off));
		for (r = 0; r < t.nrows; r++)
			if (atoi(t.rows[r][0]) == node && !strcmp(t.rows[r][1], zone))
				break;
		ASSERT_LT(r, t.nrows);
		p = line + off;
		for (o = 0; sscanf(p, "%15s%n", val, &n) == 1; o++, p += n) {
			snprintf(col, sizeof(col), "%s%d", prefix, o);
			ASSERT_GE(table_col(&t, col), 0);
			EXPECT_STREQ(val, t.rows[r][table_col(&t, col)]) TH_LOG("%s %s", zone, col);
		}
		EXPECT_GE(o, 11);
	}
	table_free(&t);
	free(ef);
}

TEST_F(alloc, zones_unusable_index_equals_debugfs)
{
	check_extfrag(_metadata, "/sys/kernel/debug/extfrag/unusable_index", "unusable_o");
}

TEST_F(alloc, zones_extfrag_index_equals_debugfs)
{
	check_extfrag(_metadata, "/sys/kernel/debug/extfrag/extfrag_index", "extfrag_o");
}

static long long buddy_free_total(void)
{
	struct table t;
	long long sum = 0;
	int r;

	if (table_load(&t, MEMACCT_DIR "/buddy"))
		return -1;
	for (r = 0; r < t.nrows; r++)
		if (!strcmp(t.rows[r][2], "total"))
			sum += table_num(&t, r, "free_bytes");
	table_free(&t);
	return sum;
}

/*
 * Pages the page allocator holds free but not in the buddy lists: the
 * per-cpu lists, "count:" under "pagesets" in /proc/zoneinfo (pages).
 * A freed page goes to a per-cpu list first and reaches the buddy lists
 * only when that list is drained, so buddy + pcp is what moves exactly.
 */
static long long pcp_free_bytes(void)
{
	char *zi = read_file("/proc/zoneinfo", NULL);
	long long sum = 0, count;
	char *p = zi;

	if (!zi)
		return -1;
	while ((p = strstr(p, "count:"))) {
		if (sscanf(p, "count: %lld", &count) == 1)
			sum += count;
		p += 6;
	}
	free(zi);
	return sum * sysconf(_SC_PAGESIZE);
}

static long long allocator_free_total(void)
{
	long long buddy = buddy_free_total(), pcp = pcp_free_bytes();

	return buddy < 0 || pcp < 0 ? -1 : buddy + pcp;
}

TEST_F(alloc, buddy_moves_with_allocation)
{
	const size_t len = 256UL << 20;
	long long before, during, after;
	char *p;

	before = allocator_free_total();
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	during = allocator_free_total();
	munmap(p, len);
	after = allocator_free_total();
	ASSERT_GE(during, 0);
	EXPECT_GE(before - during, (long long)(200UL << 20)) TH_LOG("%lld %lld", before, during);
	EXPECT_GE(after - during, (long long)(200UL << 20)) TH_LOG("%lld %lld", during, after);
}

/* "name active num objsize objperslab pagesperslab : tunables ... : slabdata a n 0" */
static const char *slabinfo_line(char *si, const char *name)
{
	size_t nl = strlen(name);
	char *p = si;

	while ((p = strstr(p, name))) {
		if ((p == si || p[-1] == '\n') && p[nl] == ' ')
			return p;
		p += nl;
	}
	return NULL;
}

static bool same_line(const char *a, const char *b)
{
	return a && b && strcspn(a, "\n") == strcspn(b, "\n") && !strncmp(a, b, strcspn(a, "\n"));
}

TEST_F(alloc, slab_rows_equal_slabinfo)
{
	char *s1, *ours, *s2, name[128];
	unsigned long v[7];
	const char *l1, *l2;
	struct table t;
	int r, compared = 0, caches = 0;
	static const char *const cols[] = {
		"active_objs", "num_objs", "objsize", "objperslab", "pagesperslab",
		"active_slabs", "num_slabs",
	};
	int i;

	s1 = read_file("/proc/slabinfo", NULL);
	ours = read_file(MEMACCT_DIR "/slab", NULL);
	s2 = read_file("/proc/slabinfo", NULL);
	ASSERT_NE(NULL, s1);
	ASSERT_NE(NULL, ours);
	ASSERT_NE(NULL, s2);
	ASSERT_EQ(0, table_parse(&t, ours));
	ASSERT_STREQ("name", t.cols[0]);
	for (r = 0; r < t.nrows; r++) {
		if (!strncmp(t.rows[r][0], "total", 5) || !strcmp(t.rows[r][0], "large_kmalloc"))
			continue;
		caches++;
		snprintf(name, sizeof(name), "%s", t.rows[r][0]);
		l1 = slabinfo_line(s1, name);
		l2 = slabinfo_line(s2, name);
		EXPECT_NE(NULL, l1) TH_LOG("%s not in /proc/slabinfo", name);
		if (!same_line(l1, l2))
			continue;
		ASSERT_EQ(8, sscanf(l1, "%127s %lu %lu %lu %lu %lu : tunables %*u %*u %*u : slabdata %lu %lu",
				    name, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]));
		for (i = 0; i < 7; i++)
			EXPECT_EQ((long long)v[i], table_num(&t, r, cols[i])) TH_LOG("%s %s", name, cols[i]);
		EXPECT_EQ((long long)(v[6] * v[4] * 4096), table_num(&t, r, "total_bytes"));
		EXPECT_EQ((long long)(v[6] * v[4] * 4096 - v[0] * v[2]), table_num(&t, r, "waste_bytes"));
		compared++;
	}
	EXPECT_GT(caches, 50);
	EXPECT_GT(compared, caches / 2) TH_LOG("only %d of %d caches were quiet", compared, caches);
	table_free(&t);
	free(s1);
	free(s2);
}

TEST_F(alloc, slab_totals_equal_meminfo)
{
	char *mi, *ours;
	struct table t;
	long long maxslab = 0, recl = -1, unrecl = -1, tot = -1, rows0 = 0, large = -1;
	int tries, r;

	for (tries = 0; tries < QUIET_TRIES; tries++)
		if (quiet_read_of("/proc/meminfo", MEMACCT_DIR "/slab", &mi, &ours,
				  meminfo_slab))
			break;
	ASSERT_LT(tries, QUIET_TRIES);
	ASSERT_EQ(0, table_parse(&t, ours));
	for (r = 0; r < t.nrows; r++)
		if (table_num(&t, r, "pagesperslab") * 4096 > maxslab)
			maxslab = table_num(&t, r, "pagesperslab") * 4096;
	for (r = 0; r < t.nrows; r++) {
		if (!strcmp(t.rows[r][0], "total_reclaimable"))
			recl = table_num(&t, r, "total_bytes");
		if (!strcmp(t.rows[r][0], "total_unreclaimable"))
			unrecl = table_num(&t, r, "total_bytes");
		if (!strcmp(t.rows[r][0], "total"))
			tot = table_num(&t, r, "total_bytes");
		if (!strcmp(t.rows[r][0], "large_kmalloc"))
			large = table_num(&t, r, "total_bytes");
		else if (strncmp(t.rows[r][0], "total", 5) &&
			 table_num(&t, r, "reclaimable") == 0)
			rows0 += table_num(&t, r, "total_bytes");
	}
	/*
	 * total_unreclaimable is built from SUnreclaim itself (what no cache
	 * holds is shown as large_kmalloc): the independent check is that the
	 * unreclaimable caches' own rows fit in it, and add up with
	 * large_kmalloc to it.
	 */
	EXPECT_LE(0, large);
	EXPECT_LE(rows0, rollup_kb(mi, "SUnreclaim") * 1024 + maxslab);
	EXPECT_EQ(unrecl, rows0 + large);
	EXPECT_STREQ("total", t.rows[t.nrows - 1][0]);
	EXPECT_LE(llabs(recl - rollup_kb(mi, "SReclaimable") * 1024), maxslab);
	EXPECT_LE(llabs(unrecl - rollup_kb(mi, "SUnreclaim") * 1024), maxslab);
	EXPECT_LE(llabs(tot - rollup_kb(mi, "Slab") * 1024), 2 * maxslab);
	table_free(&t);
	free(mi);
}

TEST_F(alloc, slab_new_cache_row_then_gone)
{
	char *s1, *ours, *s2;
	struct table t;
	int r, tries;

	ASSERT_EQ(0, system("insmod /lib/modules/extra/memacct_slabtest.ko objsize=200 count=1000"));
	for (tries = 0; tries < QUIET_TRIES; tries++)
		if (quiet_read("/proc/slabinfo", MEMACCT_DIR "/slab", &s1, &ours))
			break;
	ASSERT_LT(tries, QUIET_TRIES);
	ASSERT_EQ(0, table_parse(&t, ours));
	for (r = 0; r < t.nrows && strcmp(t.rows[r][0], "memacct_test"); r++)
		;
	ASSERT_LT(r, t.nrows);
	EXPECT_GE(table_num(&t, r, "active_objs"), 1000);
	EXPECT_GE(table_num(&t, r, "objsize"), 200);
	/* the slot may hold debug metadata (KASAN, red zones) beyond 200 */
	EXPECT_LE(table_num(&t, r, "objsize"), 512);
	EXPECT_EQ(table_num(&t, r, "num_objs"),
		  table_num(&t, r, "num_slabs") * table_num(&t, r, "objperslab"));
	EXPECT_EQ(0, table_num(&t, r, "reclaimable"));
	{
		const char *l = slabinfo_line(s1, "memacct_test");
		unsigned long a, n, sz;

		ASSERT_NE(NULL, l);
		ASSERT_EQ(3, sscanf(l, "memacct_test %lu %lu %lu", &a, &n, &sz));
		EXPECT_EQ((long long)a, table_num(&t, r, "active_objs"));
		EXPECT_EQ((long long)n, table_num(&t, r, "num_objs"));
		EXPECT_EQ((long long)sz, table_num(&t, r, "objsize"));
	}
	table_free(&t);
	free(s1);
	ASSERT_EQ(0, system("rmmod memacct_slabtest"));
	s2 = read_file(MEMACCT_DIR "/slab", NULL);
	ASSERT_NE(NULL, s2);
	EXPECT_EQ(NULL, strstr(s2, "\nmemacct_test "));
	free(s2);
}

/*
 * The layouts of struct kmem_cache, kmem_cache_node and slab come from the
 * kernel's BTF at load. The test-only parameter test_btf_missing makes one
 * member "missing": `slab` must then be one line naming it, no numbers;
 * the other files are unaffected; a reload without it brings the rows back.
 */
/* The struct a slab is described by: struct page before 5.17. */
static const char *slab_struct_name(void)
{
	int major, minor;

	kernel_version(&major, &minor);
	return major < 5 || (major == 5 && minor < 17) ? "page" : "slab";
}

/*
 * kmem_cache's member holding the per-node pointers: node[] up to 6.x,
 * per_node[] on 7.x (the error names it `node` either way; no kernel
 * between 6.12 and 7.2 is supported, so the cut is taken at 7.0).
 */
static const char *cache_node_member(void)
{
	int major, minor;

	kernel_version(&major, &minor);
	return major >= 7 ? "per_node" : "node";
}

TEST_F(alloc, slab_member_missing_from_btf_is_unavailable)
{
	const char *members[][2] = {
		{ "kmem_cache", "oo" },
		{ "kmem_cache", "node" },	/* per_node on 7.x */
		{ "kmem_cache_node", "nr_partial" },
		{ "slab", "inuse" },
	};
	char params[128], want[128], *text;
	struct table t;
	unsigned int i;

	members[1][1] = cache_node_member();
	members[3][0] = slab_struct_name();
	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		ASSERT_EQ(0, module_unload());
		snprintf(params, sizeof(params), "test_btf_missing=%s.%s",
			 members[i][0], members[i][1]);
		ASSERT_EQ(0, module_load(params));
		text = read_file(MEMACCT_DIR "/slab", NULL);
		ASSERT_NE(NULL, text);
		snprintf(want, sizeof(want), "unavailable: %s of %s not in BTF\n",
			 i == 1 ? "node" : members[i][1], members[i][0]);
		EXPECT_STREQ(want, text);
		free(text);
		ASSERT_EQ(0, table_load(&t, MEMACCT_DIR "/buddy"));
		EXPECT_GT(t.nrows, 0);
		table_free(&t);
	}
	ASSERT_EQ(0, module_unload());
	ASSERT_EQ(0, module_load(NULL));
	text = read_file(MEMACCT_DIR "/slab", NULL);
	ASSERT_NE(NULL, text);
	EXPECT_EQ(0, strncmp(text, "name active_objs ", 17)) TH_LOG("%.200s", text);
	free(text);
	ASSERT_EQ(0, table_load(&t, MEMACCT_DIR "/slab"));
	EXPECT_GT(t.nrows, 50);
	table_free(&t);
}

TEST_F(alloc, reads_under_load_are_well_formed)
{
	static const char *const files[] = { "buddy", "zones", "slab" };
	pid_t stressor = fork();
	char path[128];
	struct table t;
	int i, f, r;

	ASSERT_GE(stressor, 0);
	if (stressor == 0) {
		for (;;) {
			char *p = mmap(NULL, 32 << 20, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
			int fd = open("/proc/self/status", O_RDONLY);

			if (p != MAP_FAILED)
				munmap(p, 32 << 20);
			if (fd >= 0)
				close(fd);
		}
	}
	for (i = 0; i < 30; i++) {
		for (f = 0; f < 3; f++) {
			snprintf(path, sizeof(path), MEMACCT_DIR "/%s", files[f]);
			ASSERT_EQ(0, table_load(&t, path));
			ASSERT_GT(t.nrows, 0);
			for (r = 0; r < t.nrows; r++)
				EXPECT_EQ(t.ncols, t.row_ncols[r]) TH_LOG("%s row %d", files[f], r);
			table_free(&t);
		}
	}
	kill(stressor, SIGKILL);
	waitpid(stressor, NULL, 0);
}

TEST_HARNESS_MAIN
