// SPDX-License-Identifier: GPL-2.0
/*
 * memacct: the `processes` table and the `summary` file.
 *
 * `processes` is a seq_file over thread-group ids of the reader's pid
 * namespace: position 0 is the header, a row for tgid T sits at a position
 * P with P - 1 <= T, and next() moves to T + 2. Each row is computed once:
 * the walk of T is kept in the open file's state, so when seq_file must
 * show the row again (it did not fit in the user's buffer), it is printed
 * from that state instead of being walked again. Memory per open file is
 * one row and one path buffer, whatever the number or size of processes.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/pid_namespace.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/slab.h>
#include <linux/ktime.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/oom.h>
#include <linux/swap.h>
#include "memacct.h"
#include "wrapper/cred.h"
#include "wrapper/pid.h"
#include "wrapper/mmcounter.h"

/*
 * The figures of /proc/PID/status, stat and oom_score a row shows, read
 * the way fs/proc reads them (task_mem(), do_task_stat(), oom_badness()).
 * Sizes in bytes.
 */
struct task_figures {
	u64 rss_anon, rss_file, rss_shmem;
	u64 vm_peak, vm_hwm, vm_data, vm_stk, vm_exe, vm_lib, vm_pte, vm_swap, vm_pin;
	unsigned long threads, minflt, majflt;
	unsigned long oom_score;
	bool oom_score_unavailable;	/* total_swap_pages not found */
	int oom_score_adj;
};

struct procs_iter {
	struct pid_namespace *ns;
	struct task_struct *task;	/* the row at the current position */
	pid_t tgid;
	pid_t shown_tgid;		/* row kept in `row`, or 0 */
	struct memacct_stats row;
	struct task_figures fig;	/* of the kept row */
	pid_t owner;			/* mm_owner of the kept row */
	char *path;			/* PATH_MAX, for the cgroup */
};

/* Thread-group leader with the smallest tgid >= @nr in @ns, referenced. */
static struct task_struct *next_leader(struct pid_namespace *ns, pid_t *nr)
{
	struct task_struct *task = NULL;
	struct pid *pid;

	rcu_read_lock();
	while ((pid = memacct_find_ge_pid(*nr, ns))) {
		*nr = pid_nr_ns(pid, ns);
		task = pid_task(pid, PIDTYPE_TGID);
		if (task && !(task->flags & PF_KTHREAD) && READ_ONCE(task->mm)) {
			get_task_struct(task);
			break;
		}
		task = NULL;
		(*nr)++;
	}
	rcu_read_unlock();
	return task;
}

static void *procs_find(struct procs_iter *it, loff_t pos)
{
	pid_t nr = pos - 1;

	if (it->task)
		put_task_struct(it->task);
	it->task = NULL;
	if (pos > PID_MAX_LIMIT + 1)
		return NULL;
	it->task = next_leader(it->ns, &nr);
	it->tgid = nr;
	return it->task ? it : NULL;
}

static void *procs_start(struct seq_file *m, loff_t *pos)
{
	if (*pos == 0)
		return SEQ_START_TOKEN;
	return procs_find(m->private, *pos);
}

static void *procs_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct procs_iter *it = m->private;

	*pos = v == SEQ_START_TOKEN ? 1 : (loff_t)it->tgid + 2;
	return procs_find(it, *pos);
}

static void procs_stop(struct seq_file *m, void *v)
{
}

/*
 * The pid, in the reader's namespace, of the process that owns the mm
 * (mm->owner, kept with CONFIG_MEMCG); differs from the row's pid for a
 * process created with CLONE_VM but not CLONE_THREAD.
 */
static pid_t mm_owner_pid(struct mm_struct *mm, struct procs_iter *it)
{
	pid_t owner = it->tgid;
#ifdef CONFIG_MEMCG
	struct task_struct *t;

	rcu_read_lock();
	t = rcu_dereference(mm->owner);
	if (t && task_tgid_nr_ns(t, it->ns))
		owner = task_tgid_nr_ns(t, it->ns);
	rcu_read_unlock();
#endif
	return owner;
}

static void show_cgroup(struct seq_file *m, struct procs_iter *it,
			struct task_struct *task)
{
	struct cgroup *cgrp;
	int len;

	rcu_read_lock();
	cgrp = task_dfl_cgroup(task);
	cgroup_get(cgrp);
	rcu_read_unlock();
	len = cgroup_path_ns(cgrp, it->path, PATH_MAX,
			     current->nsproxy->cgroup_ns);
	cgroup_put(cgrp);
	if (len < 0 || len >= PATH_MAX) {
		seq_puts(m, " -");
	} else {
		seq_putc(m, ' ');
		memacct_seq_escape(m, it->path, len);
	}
}

/*
 * task_mem() of fs/proc/task_mmu.c: the mm's counters and sizes, each in
 * bytes (status prints them in kB, which the page-multiples all are).
 */
static void status_figures(struct mm_struct *mm, struct task_figures *f)
{
	unsigned long anon, file, shmem, text, exec_vm, total_vm, hiwater_vm, rss;

	anon = memacct_status_counter(mm, MM_ANONPAGES);
	file = memacct_status_counter(mm, MM_FILEPAGES);
	shmem = memacct_status_counter(mm, MM_SHMEMPAGES);
	total_vm = READ_ONCE(mm->total_vm);
	hiwater_vm = total_vm;
	if (hiwater_vm < READ_ONCE(mm->hiwater_vm))
		hiwater_vm = READ_ONCE(mm->hiwater_vm);
	rss = anon + file + shmem;
	f->vm_hwm = (u64)max(rss, READ_ONCE(mm->hiwater_rss)) << PAGE_SHIFT;
	f->vm_peak = (u64)hiwater_vm << PAGE_SHIFT;
	f->rss_anon = (u64)anon << PAGE_SHIFT;
	f->rss_file = (u64)file << PAGE_SHIFT;
	f->rss_shmem = (u64)shmem << PAGE_SHIFT;
	f->vm_data = (u64)READ_ONCE(mm->data_vm) << PAGE_SHIFT;
	f->vm_stk = (u64)READ_ONCE(mm->stack_vm) << PAGE_SHIFT;
	/* split executable areas between text and lib */
	exec_vm = READ_ONCE(mm->exec_vm);
	text = PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK);
	text = min(text, exec_vm << PAGE_SHIFT);
	/* status prints text and lib >> 10: not page multiples, kept as kB */
	f->vm_exe = (u64)(text >> 10) << 10;
	f->vm_lib = (u64)(((exec_vm << PAGE_SHIFT) - text) >> 10) << 10;
	f->vm_pte = (u64)(mm_pgtables_bytes(mm) >> 10) << 10;
	f->vm_swap = (u64)memacct_status_counter(mm, MM_SWAPENTS) << PAGE_SHIFT;
	f->vm_pin = (u64)atomic64_read(&mm->pinned_vm) << PAGE_SHIFT;
}

/* signal's fault counts of exited threads plus every live thread's */
static void sum_faults(struct signal_struct *sig, struct task_figures *f)
{
	struct task_struct *t;

	f->minflt = sig->min_flt;
	f->majflt = sig->maj_flt;
	__for_each_thread(sig, t) {
		f->minflt += READ_ONCE(t->min_flt);
		f->majflt += READ_ONCE(t->maj_flt);
	}
}

/*
 * The whole group's fault counts (do_task_stat() with whole=1). An
 * exiting thread moves its counts into signal's and leaves the thread
 * list under sig->stats_lock (__exit_signal()), so they are summed under
 * it as 6.x and 7.x's do_task_stat() do: locklessly first, then, if a
 * thread exited meanwhile, with the lock (a spinlock, interrupts off for
 * one walk of the thread list).
 */
static void fault_figures(struct task_struct *task, struct task_figures *f)
{
	struct signal_struct *sig = task->signal;
	unsigned long flags;
	unsigned int seq;

	rcu_read_lock();
	seq = read_seqbegin(&sig->stats_lock);
	sum_faults(sig, f);
	if (read_seqretry(&sig->stats_lock, seq)) {
		read_seqlock_excl_irqsave(&sig->stats_lock, flags);
		sum_faults(sig, f);
		read_sequnlock_excl_irqrestore(&sig->stats_lock, flags);
	}
	rcu_read_unlock();
}

/*
 * Threads (status: get_nr_threads() under the sighand lock, 0 once the
 * task has none), fault counts and oom_score_adj.
 */
static void thread_figures(struct task_struct *task, struct task_figures *f)
{
	rcu_read_lock();
	f->threads = rcu_dereference(task->sighand) ? get_nr_threads(task) : 0;
	rcu_read_unlock();
	fault_figures(task, f);
	f->oom_score_adj = READ_ONCE(task->signal->oom_score_adj);
}

/*
 * oom_badness() of mm/oom_kill.c (not exported), with find_lock_task_mm()
 * and oom_unkillable_task(): LONG_MIN for a task the OOM killer skips.
 */
static long oom_badness_of(struct task_struct *p, unsigned long totalpages)
{
	struct task_struct *t;
	long points, adj;

	if (is_global_init(p) || (p->flags & PF_KTHREAD))
		return LONG_MIN;
	rcu_read_lock();
	for_each_thread(p, t) {
		task_lock(t);
		if (likely(t->mm))
			goto found;
		task_unlock(t);
	}
	rcu_read_unlock();
	return LONG_MIN;
found:
	rcu_read_unlock();
	adj = (long)t->signal->oom_score_adj;
	if (adj == OOM_SCORE_ADJ_MIN || memacct_mm_oom_skip(t->mm) || in_vfork(t)) {
		task_unlock(t);
		return LONG_MIN;
	}
	points = memacct_oom_rss_swap(t->mm) + mm_pgtables_bytes(t->mm) / PAGE_SIZE;
	task_unlock(t);
	adj *= totalpages / 1000;
	return points + adj;
}

/* proc_oom_score() of fs/proc/base.c */
static void oom_figures(struct task_struct *task, struct task_figures *f)
{
	long *swap = memacct_ksym_total_swap_pages();
	unsigned long totalpages;
	long badness;

	f->oom_score = 0;
	f->oom_score_unavailable = !swap;
	if (!swap)
		return;
	totalpages = totalram_pages() + READ_ONCE(*swap);
	badness = oom_badness_of(task, totalpages);
	if (badness != LONG_MIN)
		f->oom_score = (1000 + badness * 1000 / (long)totalpages) * 2 / 3;
}

/* Walks the task's mm into it->row; -ESRCH if it has none any more. */
static int procs_walk(struct procs_iter *it)
{
	struct mm_struct *mm = get_task_mm(it->task);
	int ret;

	if (!mm)
		return -ESRCH;
	memset(&it->row, 0, sizeof(it->row));
	ret = memacct_walk_mm(mm, &it->row);
	it->owner = mm_owner_pid(mm, it);
	status_figures(mm, &it->fig);
	mmput(mm);
	thread_figures(it->task, &it->fig);
	oom_figures(it->task, &it->fig);
	if (!ret)
		memacct_stats_to_bytes(&it->row);
	return ret;
}

/*
 * Test-only (module parameters): after walking process @test_delay_pid,
 * sleep @test_delay_ms before printing its row, so that a selftest can
 * make it exit and be reaped meanwhile.
 */
static int test_delay_pid;
module_param(test_delay_pid, int, 0600);
MODULE_PARM_DESC(test_delay_pid, "selftests only: the process whose row is delayed");
static unsigned int test_delay_ms;
module_param(test_delay_ms, uint, 0600);
MODULE_PARM_DESC(test_delay_ms, "selftests only: how long its row is delayed");

static int test_delay(pid_t tgid)
{
	unsigned int ms = READ_ONCE(test_delay_ms);

	if (!ms || tgid != READ_ONCE(test_delay_pid))
		return 0;
	msleep_interruptible(min(ms, 10000U));
	return fatal_signal_pending(current) ? -EINTR : 0;
}

/*
 * The parent's tgid, or 0 when @task has been reaped: its real_parent
 * may then be freed, and is read only while pid_alive() says the task is
 * still hashed (as fs/proc/array.c does), within one RCU read section.
 */
static pid_t parent_tgid(struct task_struct *task, struct pid_namespace *ns)
{
	pid_t ppid = 0;

	rcu_read_lock();
	if (pid_alive(task))
		ppid = task_tgid_nr_ns(rcu_dereference(task->real_parent), ns);
	rcu_read_unlock();
	return ppid;
}

/* The columns of task_figures, between mm_owner and cgroup */
static const char *const task_columns[] = {
	"rss_anon", "rss_file", "rss_shmem", "vm_peak", "vm_hwm", "vm_data",
	"vm_stk", "vm_exe", "vm_lib", "vm_pte", "vm_swap", "vm_pin", "threads",
	"minflt", "majflt", "oom_score", "oom_score_adj",
};

static void show_task_figures(struct seq_file *m, const struct task_figures *f)
{
	const u64 sizes[] = {
		f->rss_anon, f->rss_file, f->rss_shmem, f->vm_peak, f->vm_hwm,
		f->vm_data, f->vm_stk, f->vm_exe, f->vm_lib, f->vm_pte,
		f->vm_swap, f->vm_pin, f->threads, f->minflt, f->majflt,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		seq_put_decimal_ull(m, " ", sizes[i]);
	memacct_show_if(m, !f->oom_score_unavailable, f->oom_score);
	seq_put_decimal_ll(m, " ", f->oom_score_adj);
}

static int procs_show(struct seq_file *m, void *v)
{
	struct procs_iter *it = m->private;
	struct task_struct *task = it->task;
	char comm[TASK_COMM_LEN];
	pid_t ppid;
	int ret, i;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "pid ppid uid");
		memacct_show_size_header(m);
		seq_puts(m, " mm_owner");
		for (i = 0; i < ARRAY_SIZE(task_columns); i++) {
			seq_putc(m, ' ');
			seq_puts(m, task_columns[i]);
		}
		seq_puts(m, " cgroup comm\n");
		return 0;
	}
	if (it->shown_tgid != it->tgid) {
		ret = procs_walk(it);
		if (!ret)
			ret = test_delay(it->tgid);
		if (ret == -EINTR)
			return ret;	/* the reader was killed: stop the read */
		if (ret)
			return 0;	/* exited: no row */
		it->shown_tgid = it->tgid;
	}
	ppid = parent_tgid(task, it->ns);
	if (!pid_alive(task))
		return 0;	/* reaped since its walk: no row */
	seq_printf(m, "%d %d %u", it->tgid, ppid,
		   from_kuid_munged(current_user_ns(), memacct_task_euid(task)));
	memacct_show_sizes(m, &it->row);
	seq_printf(m, " %d", it->owner);
	show_task_figures(m, &it->fig);
	show_cgroup(m, it, task);
	get_task_comm(comm, task);
	seq_putc(m, ' ');
	memacct_seq_escape(m, comm, sizeof(comm));
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations procs_sops = {
	.start = procs_start,
	.next = procs_next,
	.stop = procs_stop,
	.show = procs_show,
};

static int procs_open(struct inode *inode, struct file *file)
{
	struct procs_iter *it;
	int ret = memacct_open_root_only(inode, file);

	if (ret)
		return ret;
	it = __seq_open_private(file, &procs_sops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->path = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!it->path) {
		seq_release_private(inode, file);
		return -ENOMEM;
	}
	it->ns = get_pid_ns(task_active_pid_ns(current));
	return 0;
}

static int procs_release(struct inode *inode, struct file *file)
{
	struct procs_iter *it = ((struct seq_file *)file->private_data)->private;

	if (it->task)
		put_task_struct(it->task);
	put_pid_ns(it->ns);
	kfree(it->path);
	return seq_release_private(inode, file);
}

static const struct file_operations procs_fops = {
	.owner = THIS_MODULE,
	.open = procs_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = procs_release,
};

/*
 * `summary`: one walk of every process of the reader's namespace, totals
 * and how long the walk took.
 */
static int summary_show(struct seq_file *m, void *v)
{
	struct procs_iter *it = m->private;
	struct memacct_stats total = {};
	unsigned long nproc = 0;
	u64 t0 = ktime_get_ns();
	loff_t pos = 1;

	while (procs_find(it, pos)) {
		if (!procs_walk(it)) {
			/* an mm shared with CLONE_VM counts once, at its owner */
			if (it->owner == it->tgid)
				memacct_stats_add(&total, &it->row);
			nproc++;
		}
		pos = (loff_t)it->tgid + 2;
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	seq_printf(m, "processes %lu\n", nproc);
	seq_printf(m, "rss %llu\npss %llu\nuss %llu\nswap %llu\n", total.rss,
		   total.pss, total.private_bytes, total.swap);
	seq_printf(m, "walk_ns %llu\n", ktime_get_ns() - t0);
	return 0;
}

static int summary_open(struct inode *inode, struct file *file)
{
	struct procs_iter *it;
	int ret = memacct_open_root_only(inode, file);

	if (ret)
		return ret;
	it = kzalloc(sizeof(*it), GFP_KERNEL);
	if (!it)
		return -ENOMEM;
	it->ns = get_pid_ns(task_active_pid_ns(current));
	ret = single_open(file, summary_show, it);
	if (ret) {
		put_pid_ns(it->ns);
		kfree(it);
	}
	return ret;
}

static int summary_release(struct inode *inode, struct file *file)
{
	struct procs_iter *it = ((struct seq_file *)file->private_data)->private;

	if (it->task)
		put_task_struct(it->task);
	put_pid_ns(it->ns);
	kfree(it);
	return single_release(inode, file);
}

static const struct file_operations summary_fops = {
	.owner = THIS_MODULE,
	.open = summary_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = summary_release,
};

int memacct_procs_init(struct dentry *dir)
{
	debugfs_create_file("processes", 0400, dir, NULL, &procs_fops);
	debugfs_create_file("summary", 0400, dir, NULL, &summary_fops);
	return 0;
}

void memacct_procs_exit(void)
{
}
