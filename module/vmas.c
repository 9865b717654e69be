// SPDX-License-Identifier: GPL-2.0
/*
 * memacct: the per-VMA view of one process (`vmas`, like pmap -X) and the
 * `pid` file that selects the process for plain shell use.
 *
 * Which process `vmas` shows: the pid last written to that open file, or
 * else the pid in the `pid` file when the read starts at offset 0. A
 * write to `vmas` affects only that open file, so concurrent readers with
 * their own file descriptors do not disturb each other.
 *
 * The mmap lock is held from seq_file start() to stop(), i.e. for one
 * buffer of rows at a time, as /proc/PID/maps does; it may be let go
 * between the chunks of a row's walk, and on kernels with per-VMA locks
 * it is let go for the whole walk of a row longer than one chunk, which
 * holds the VMA's own lock instead (memacct_walk_row()). Each row is
 * computed once and kept until it has been copied out. Between reads the open file
 * keeps only an mm_count reference (mmgrab(), as proc_mem_open() does):
 * the mm_struct stays, but an exited process's memory, page tables and
 * mapped files are freed; each buffer takes mm_users with
 * mmget_not_zero() and ends the table if the process has gone.
 *
 * Rows never overlap: a row starts where the last one ended or at its
 * mapping's start, whichever is later (a mapping found at the next
 * address may have grown down over it, or merged, between two reads).
 *
 * Under kernel lockdown, debugfs refuses every open for writing; the
 * process can then be selected through the `pid` module parameter
 * (/sys/module/memacct/parameters/pid), which sets the same selection as
 * the `pid` file.
 *
 * The pss columns of a row are the difference of the running fixed-point
 * total before and after the VMA, each truncated to bytes: the rows then
 * add up exactly to the process's figures (as `processes` prints them),
 * and each row is within one byte of its own truncated value.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/pid_namespace.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/moduleparam.h>
#include <linux/sysfs.h>
#include "memacct.h"
#include "wrapper/fs.h"

#define PID_WRITE_MAX 32

static DEFINE_MUTEX(selected_lock);
static struct pid *selected_pid;	/* the `pid` file, under selected_lock */

struct vmas_iter {
	struct pid *pid;		/* written to this file, or NULL */
	struct mm_struct *mm;		/* mmgrab() from offset 0 on */
	bool mm_held;			/* mmget_not_zero() for this buffer */
	bool mm_locked;			/* and its mmap read lock */
	struct memacct_hold hold;	/* that lock's, while mm_locked */
	loff_t row_pos;			/* position of the kept row, or -1 */
	unsigned long row_start;	/* the kept row's mapping, as walked */
	unsigned long next_addr;	/* its end: where the next row starts */
	struct memacct_stats cum;	/* fixed point, rows before row_pos */
	struct memacct_stats row;	/* kept row, bytes */
	char *path;
};

/*
 * The pid numbered @nr in the caller's pid namespace, referenced, if it is
 * a process with a user mm.
 */
static int find_user_pid(int nr, struct pid **out)
{
	struct task_struct *task;
	struct pid *pid;
	bool has_mm;

	if (nr <= 0)
		return -EINVAL;
	pid = find_get_pid(nr);	/* in the caller's pid namespace */
	if (!pid)
		return -ESRCH;
	task = get_pid_task(pid, PIDTYPE_PID);
	if (!task) {
		put_pid(pid);
		return -ESRCH;
	}
	has_mm = !(task->flags & PF_KTHREAD) && READ_ONCE(task->mm);
	put_task_struct(task);
	if (!has_mm) {
		put_pid(pid);
		return -EINVAL;
	}
	*out = pid;
	return 0;
}

/*
 * Parses a pid written by the user, whole, at offset 0 (a write at another
 * offset is a partial or appended write: refused).
 */
static int parse_pid(const char __user *ubuf, size_t count, loff_t pos,
		     struct pid **out)
{
	int nr, ret;

	if (pos != 0 || count == 0 || count > PID_WRITE_MAX)
		return -EINVAL;
	ret = kstrtoint_from_user(ubuf, count, 10, &nr);
	return ret ? ret : find_user_pid(nr, out);
}

static void select_pid(struct pid *pid)
{
	struct pid *old;

	mutex_lock(&selected_lock);
	old = selected_pid;
	selected_pid = pid;
	mutex_unlock(&selected_lock);
	put_pid(old);
}

static pid_t selected_pid_nr(void)
{
	pid_t nr;

	mutex_lock(&selected_lock);
	nr = selected_pid ? pid_vnr(selected_pid) : 0;
	mutex_unlock(&selected_lock);
	return nr;
}

/* The `pid` module parameter: the same selection, writable under lockdown. */
static int pid_param_set(const char *val, const struct kernel_param *kp)
{
	struct pid *pid;
	int nr, ret;

	if (strlen(val) > PID_WRITE_MAX)
		return -EINVAL;
	ret = kstrtoint(val, 10, &nr);
	if (!ret)
		ret = find_user_pid(nr, &pid);
	if (!ret)
		select_pid(pid);
	return ret;
}

static int pid_param_get(char *buf, const struct kernel_param *kp)
{
	pid_t nr = selected_pid_nr();

	return nr ? sysfs_emit(buf, "%d\n", nr) : sysfs_emit(buf, "-\n");
}

static const struct kernel_param_ops pid_param_ops = {
	.set = pid_param_set,
	.get = pid_param_get,
};

module_param_cb(pid, &pid_param_ops, NULL, 0600);
MODULE_PARM_DESC(pid, "the process `vmas` shows (same as the pid file)");

static int pid_show(struct seq_file *m, void *v)
{
	pid_t nr = selected_pid_nr();

	if (nr)
		seq_printf(m, "%d\n", nr);
	else
		seq_puts(m, "-\n");
	return 0;
}

static int pid_open(struct inode *inode, struct file *file)
{
	int ret = memacct_open_root_only(inode, file);

	return ret ? ret : single_open(file, pid_show, NULL);
}

static ssize_t pid_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	struct pid *pid;
	int ret = parse_pid(ubuf, count, *ppos, &pid);

	if (ret)
		return ret;
	select_pid(pid);
	return count;
}

static const struct file_operations pid_fops = {
	.owner = THIS_MODULE,
	.open = pid_open,
	.read = seq_read,
	.write = pid_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* The process to show: this file's pid, else the `pid` file's; mmgrab()bed. */
static struct mm_struct *vmas_grab_mm(struct vmas_iter *it)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *pid = it->pid;

	if (!pid) {
		mutex_lock(&selected_lock);
		pid = get_pid(selected_pid);
		mutex_unlock(&selected_lock);
	} else {
		get_pid(pid);
	}
	if (!pid)
		return ERR_PTR(-EINVAL);
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!task)
		return ERR_PTR(-ESRCH);
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm)
		return ERR_PTR(-ESRCH);
	mmgrab(mm);
	mmput(mm);
	return mm;
}

static void vmas_reset(struct vmas_iter *it)
{
	if (it->mm)
		mmdrop(it->mm);
	it->mm = NULL;
	it->row_pos = -1;
	it->next_addr = 0;
	memset(&it->cum, 0, sizeof(it->cum));
}

/*
 * Pins the address space for one buffer of rows and takes its mmap lock.
 * False when the process has exited (the table ends) or the reader was
 * killed while waiting.
 */
static bool vmas_lock(struct vmas_iter *it)
{
	if (!mmget_not_zero(it->mm))
		return false;
	it->mm_held = true;
	if (memacct_mm_lock(it->mm, &it->hold))
		return false;
	it->mm_locked = true;
	return true;
}

static void *vmas_start(struct seq_file *m, loff_t *pos)
{
	struct vmas_iter *it = m->private;
	struct mm_struct *mm;

	if (*pos == 0) {
		vmas_reset(it);
		mm = vmas_grab_mm(it);
		if (IS_ERR(mm))
			return mm;
		it->mm = mm;
		return SEQ_START_TOKEN;
	}
	if (!it->mm || !vmas_lock(it))
		return NULL;
	/* A row kept from the last buffer is shown again, not re-walked. */
	if (*pos == it->row_pos)
		return find_vma(it->mm, it->next_addr - 1);
	if (*pos != it->row_pos + 1 && it->row_pos >= 0)
		return NULL;	/* seq_file only restarts at 0 or goes on */
	return find_vma(it->mm, it->next_addr);
}

static void *vmas_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct vmas_iter *it = m->private;

	++*pos;
	if (v == SEQ_START_TOKEN) {
		if (!vmas_lock(it))
			return NULL;
		return find_vma(it->mm, 0);
	}
	return find_vma(it->mm, it->next_addr);
}

static void vmas_stop(struct seq_file *m, void *v)
{
	struct vmas_iter *it = m->private;

	if (it->mm_locked)
		memacct_mm_unlock(it->mm, &it->hold);
	if (it->mm_held)
		mmput(it->mm);
	it->mm_locked = false;
	it->mm_held = false;
}

/* Bytes of fixed-point @delta added to @before, after truncation. */
static u64 telescoped(u64 before, u64 delta)
{
	return ((before + delta) >> MEMACCT_PSS_SHIFT) -
	       (before >> MEMACCT_PSS_SHIFT);
}

/*
 * The row of the mapping @vma, walked as a span of the process: the mmap
 * lock may be let go between chunks, or for the whole walk of a row under
 * its VMA's own lock (memacct_walk_row()), after which @vma must not be
 * touched again. Returns 0, or -EINTR with the lock released.
 */
static int vmas_compute_row(struct vmas_iter *it, struct vm_area_struct *vma,
			    loff_t pos)
{
	unsigned long start = max(vma->vm_start, it->next_addr), end = vma->vm_end;
	struct memacct_stats st = {};
	struct memacct_stats *cum = &it->cum;

	if (memacct_walk_row(it->mm, start, end, &st, &it->hold)) {
		it->mm_locked = false;
		return -EINTR;
	}
	st.vss = end - start;
	it->row = st;
	it->row.pss = telescoped(cum->pss, st.pss);
	it->row.pss_anon = telescoped(cum->pss_anon, st.pss_anon);
	it->row.pss_file = telescoped(cum->pss_file, st.pss_file);
	it->row.pss_shmem = telescoped(cum->pss_shmem, st.pss_shmem);
	it->row.pss_locked = telescoped(cum->pss_locked, st.pss_locked);
	it->row.pss_dirty = telescoped(cum->pss_dirty, st.pss_dirty);
	it->row.swap_pss = telescoped(cum->swap_pss, st.swap_pss);
	memacct_stats_add(cum, &st);
	it->row_pos = pos;
	it->row_start = start;
	it->next_addr = end;
	return 0;
}

static void vmas_show_name(struct seq_file *m, struct vmas_iter *it,
			   struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	const char *name = NULL;
	char *p;

	seq_putc(m, ' ');
	if (vma->vm_file) {
		p = d_path(&vma->vm_file->f_path, it->path, PATH_MAX);
		if (IS_ERR(p))
			seq_puts(m, "[file]");
		else
			memacct_seq_escape(m, p, PATH_MAX);
		return;
	}
	if (vma->vm_ops && vma->vm_ops->name)
		name = vma->vm_ops->name(vma);
	if (!name && vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk)
		name = "[heap]";
	if (!name && vma->vm_start <= mm->start_stack &&
	    vma->vm_end >= mm->start_stack)
		name = "[stack]";
	memacct_seq_escape(m, name ? name : "[anon]", PATH_MAX);
}

/*
 * dev and inode as smaps (show_map_vma()) prints them: major:minor in
 * hexadecimal, at least two digits each, and the inode number; 00:00 and
 * 0 for an anonymous mapping. Then thp_eligible: "-", always. smaps'
 * THPeligible is hugepage_vma_check() (6.1) or
 * __thp_vma_allowable_orders() (6.12), neither exported, and what they
 * decide on is not either: transparent_hugepage_flags, the per-order anon
 * settings (huge_anon_orders_*), shmem_huge and shmem's per-order and
 * per-mount huge settings (see Documentation/abi.rst).
 */
static void vmas_show_file_id(struct seq_file *m, struct vm_area_struct *vma)
{
	const struct inode *inode;

	if (!vma->vm_file) {
		seq_puts(m, " 00:00 0 -");
		return;
	}
	inode = memacct_map_inode(vma->vm_file);
	seq_printf(m, " %02x:%02x", MAJOR(inode->i_sb->s_dev),
		   MINOR(inode->i_sb->s_dev));
	seq_put_decimal_ull(m, " ", inode->i_ino);	/* u64 on 7.x */
	seq_puts(m, " -");
}

static int vmas_show(struct seq_file *m, void *v)
{
	struct vmas_iter *it = m->private;
	struct vm_area_struct *vma = v;
	vm_flags_t flags;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "start end perms offset");
		memacct_show_size_header(m);
		seq_puts(m, " dev inode thp_eligible name\n");
		return 0;
	}
	if (it->row_pos != m->index) {
		int ret = vmas_compute_row(it, vma, m->index);

		if (ret)
			return ret;
	}
	/*
	 * The lock may have been let go during the walk: the mapping is found
	 * again, and shown with the span walked and the flags and name it has
	 * now (the same mapping, unless it changed meanwhile).
	 */
	vma = find_vma(it->mm, it->row_start);
	if (!vma || vma->vm_start >= it->next_addr)
		return SEQ_SKIP;	/* unmapped while it was walked */
	flags = vma->vm_flags;
	seq_printf(m, "%lx %lx %c%c%c%c %llx", it->row_start, it->next_addr,
		   flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-',
		   flags & VM_EXEC ? 'x' : '-', flags & VM_MAYSHARE ? 's' : 'p',
		   vma->vm_file ? (u64)vma->vm_pgoff << PAGE_SHIFT : 0ULL);
	memacct_show_sizes(m, &it->row);
	vmas_show_file_id(m, vma);
	vmas_show_name(m, it, vma);
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations vmas_sops = {
	.start = vmas_start,
	.next = vmas_next,
	.stop = vmas_stop,
	.show = vmas_show,
};

static int vmas_open(struct inode *inode, struct file *file)
{
	struct vmas_iter *it;
	int ret = memacct_open_root_only(inode, file);

	if (ret)
		return ret;
	it = __seq_open_private(file, &vmas_sops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->path = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!it->path) {
		seq_release_private(inode, file);
		return -ENOMEM;
	}
	it->row_pos = -1;
	return 0;
}

/* Selects the process of this open file; read it from offset 0 after. */
static ssize_t vmas_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct vmas_iter *it = m->private;
	struct pid *pid;
	int ret = parse_pid(ubuf, count, *ppos, &pid);

	if (ret)
		return ret;
	mutex_lock(&m->lock);	/* no read of this file in progress */
	put_pid(it->pid);
	it->pid = pid;
	mutex_unlock(&m->lock);
	return count;
}

static int vmas_release(struct inode *inode, struct file *file)
{
	struct vmas_iter *it = ((struct seq_file *)file->private_data)->private;

	vmas_reset(it);
	put_pid(it->pid);
	kfree(it->path);
	return seq_release_private(inode, file);
}

static const struct file_operations vmas_fops = {
	.owner = THIS_MODULE,
	.open = vmas_open,
	.read = seq_read,
	.write = vmas_write,
	.llseek = seq_lseek,
	.release = vmas_release,
};

int memacct_vmas_init(struct dentry *dir)
{
	/* 0400: see memacct_open_root_only() for why root may still write */
	debugfs_create_file("pid", 0400, dir, NULL, &pid_fops);
	debugfs_create_file("vmas", 0400, dir, NULL, &vmas_fops);
	return 0;
}

void memacct_vmas_exit(void)
{
	put_pid(selected_pid);
	selected_pid = NULL;
}
