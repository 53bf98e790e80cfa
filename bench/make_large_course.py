#!/usr/bin/env python3
"""Generate the large benchmark course (room: bench — not part of the product).

Writes ``bench/out/large-course/`` (gitignored), deterministically:

* ``slides/lectures.pdf``     — 300 slide pages, Chinese and English, real text layer
* ``transcripts/lecNN.srt``   — 40 one-hour lectures, ≈ 50,000 cues of mixed zh/en text
* ``syllabus/syllabus.pdf``   — a 20-page syllabus with 200 numbered topics
* about one cue in 400 carries a problem (advert, phone number, outdated claim) to find
* ``course.yaml``             — the manifest

Every 25th topic (8 of 200) is never taught — its words appear nowhere in the teaching
material — so the coverage check has something to report.
Run ``.venv/bin/python bench/make_large_course.py [--out DIR] [--force] [--scale N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "out" / "large-course"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
CREATED = dt.datetime(2025, 8, 20, 9, 0, tzinfo=dt.timezone.utc)

SLIDE_PAGES = 300
LECTURES = 40
LECTURE_MS = 3_600_000
SYLLABUS_PAGES = 20
TOPICS_PER_PAGE = 10
UNTAUGHT_EVERY = 25  # every 25th topic is one of UNTAUGHT

ZH_TERMS = """进程调度 线程同步 死锁检测 虚拟内存 页面置换 文件系统 磁盘调度 中断处理 系统调用 内存分配
哈希表 红黑树 跳表 布隆过滤器 并查集 线段树 字典树 优先队列 拓扑排序 动态规划
贪心算法 分治策略 回溯搜索 最短路径 最小生成树 网络流 字符串匹配 快速排序 归并排序 堆排序
关系模型 查询优化 事务隔离 并发控制 日志恢复 索引结构 范式分解 分布式事务 一致性哈希 副本复制
共识协议 领导者选举 时钟同步 负载均衡 缓存淘汰 消息队列 远程过程调用 服务发现 容错机制 故障检测
词法分析 语法分析 语义分析 中间代码 寄存器分配 指令调度 垃圾回收 类型推导 闭包转换 尾调用优化
线性回归 逻辑回归 决策树 随机森林 支持向量机 聚类分析 主成分分析 神经网络 反向传播 卷积网络
注意力机制 词向量 梯度下降 正则化 交叉验证 特征工程 模型评估 集成学习 强化学习 迁移学习
对称加密 公钥密码 数字签名 哈希函数 访问控制 身份认证 入侵检测 安全协议 漏洞分析 沙箱隔离""".split()

EN_TERMS = """process scheduling|thread synchronisation|deadlock detection|virtual memory|page replacement|file systems|disk scheduling|interrupt handling|system calls|memory allocation|
hash tables|red-black trees|skip lists|Bloom filters|union-find|segment trees|tries|priority queues|topological sorting|dynamic programming|
greedy algorithms|divide and conquer|backtracking|shortest paths|minimum spanning trees|network flow|string matching|quicksort|merge sort|heapsort|
the relational model|query optimisation|transaction isolation|concurrency control|log-based recovery|index structures|normalisation|distributed transactions|consistent hashing|replication|
consensus protocols|leader election|clock synchronisation|load balancing|cache eviction|message queues|remote procedure calls|service discovery|fault tolerance|failure detection|
lexical analysis|parsing|semantic analysis|intermediate code|register allocation|instruction scheduling|garbage collection|type inference|closure conversion|tail calls|
linear regression|logistic regression|decision trees|random forests|support vector machines|clustering|principal component analysis|neural networks|backpropagation|convolutional networks|
attention|word embeddings|gradient descent|regularisation|cross-validation|feature engineering|model evaluation|ensemble learning|reinforcement learning|transfer learning|
symmetric encryption|public-key cryptography|digital signatures|hash functions|access control|authentication|intrusion detection|security protocols|vulnerability analysis|sandboxing""".replace("\n", "").split("|")

ZH_TEMPLATES = [
    "接下来我们讨论{a}，它和{b}有密切的联系。",
    "在实际系统中，{a}的性能往往取决于{b}的设计。",
    "请大家注意，{a}并不等同于{b}，两者解决的问题不同。",
    "这里举一个{a}的例子：假设同时有 {n} 个请求到达。",
    "{a}的时间复杂度通常是 O(n log n)，空间开销主要来自{b}。",
    "很多同学在作业里把{a}和{b}混为一谈，这是常见错误。",
    "我们先回顾一下上一讲的{a}，再引出今天的{b}。",
    "工程上实现{a}时，要特别考虑边界条件和异常情况。",
    "{a}最早是为了解决{b}中的瓶颈而提出的。",
    "课后请大家用自己熟悉的语言实现一个简单的{a}。",
    "我们用一张图来说明{a}的基本流程。",
    "对于规模为 {n} 的输入，{a}大约需要几毫秒。",
]
#: Problems sprinkled into about one cue in 400, so the checks have findings to build.
#: (check expected to find it, marker text, template)
PLANTED = [
    ("lexicon", "代刷网课", "需要代刷网课的同学加微信 shuake_{n}，期末包过。"),
    ("pii", "打我手机", "有问题可以打我手机 138{n:08d} 或者发邮件。"),
    ("outdated", "Windows XP", "实验环境统一使用 Windows XP，请提前安装好。"),
    ("outdated", "截至2012年", "截至2012年最新统计，这个领域的从业人员超过十万。"),
    ("lexicon", "全网最低价", "推荐大家买这家的开发板，全网最低价。"),
]
PROBLEMS = [template for _check, _marker, template in PLANTED]
PROBLEM_EVERY = 400

EN_TEMPLATES = [
    "Now let's look at {a} and how it relates to {b}.",
    "In practice, {a} is rarely used without {b}.",
    "The key idea behind {a} is simple, but the details matter.",
    "We will come back to {a} when we discuss {b}.",
]


#: Topics that nothing teaches: their words appear nowhere in slides or transcripts.
UNTAUGHT = [
    ("量子纠错码与量子门电路", "quantum error-correcting codes and quantum gates"),
    ("同态加密与零知识证明", "homomorphic encryption and zero-knowledge proofs"),
    ("光线追踪与全局光照", "ray tracing and global illumination"),
    ("形式化验证与模型检测", "formal verification and model checking"),
    ("软件定义网络与网络功能虚拟化", "software-defined networking and network function virtualisation"),
    ("生物信息学与序列比对", "bioinformatics and sequence alignment"),
    ("嵌入式实时系统与看门狗定时器", "embedded real-time systems and watchdog timers"),
    ("推荐系统与协同过滤", "recommender systems and collaborative filtering"),
]


def topics() -> list[tuple[str, str, tuple[int, int] | None]]:
    """200 topics: (Chinese title, English title, indexes of its two terms or None if untaught)."""
    n = len(ZH_TERMS)
    assert n == len(EN_TERMS) == 90, (n, len(EN_TERMS))
    assert len(UNTAUGHT) * UNTAUGHT_EVERY == SYLLABUS_PAGES * TOPICS_PER_PAGE
    out = []
    for i in range(SYLLABUS_PAGES * TOPICS_PER_PAGE):
        if (i + 1) % UNTAUGHT_EVERY == 0:
            zh, en = UNTAUGHT[i // UNTAUGHT_EVERY]
            out.append((zh, en, None))
            continue
        a, b = i % n, (i * 7 + 3 + (i // n) * 11) % n  # no pair repeats
        if a == b:
            b = (b + 1) % n
        out.append((f"{ZH_TERMS[a]}与{ZH_TERMS[b]}", f"{EN_TERMS[a]} and {EN_TERMS[b]}", (a, b)))
    return out


def _term_pair(rng: random.Random, focus: list[tuple[int, int]]) -> tuple[int, int]:
    """Mostly the two terms of one of the lecture's own topics, sometimes any two terms."""
    if focus and rng.random() < 0.7:
        return rng.choice(focus)
    return rng.randrange(len(ZH_TERMS)), rng.randrange(len(ZH_TERMS))


def _line(rng: random.Random, focus: list[tuple[int, int]], english: float) -> str:
    a, b = _term_pair(rng, focus)
    if rng.random() < english:
        return rng.choice(EN_TEMPLATES).format(a=EN_TERMS[a], b=EN_TERMS[b])
    return rng.choice(ZH_TEMPLATES).format(a=ZH_TERMS[a], b=ZH_TERMS[b], n=rng.randint(8, 100_000))


def _focus(first: int, count: int) -> list[tuple[int, int]]:
    return [t[2] for t in topics()[first:first + count] if t[2] is not None]


def _stamp(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{milli:03d}"


def lecture_srt(k: int) -> str:
    """Lecture ``k`` (1-based): one hour of cues, teaching mostly its own five syllabus topics."""
    rng = random.Random(1000 + k)
    per = len(topics()) // LECTURES
    focus = _focus(((k - 1) % LECTURES) * per, per)  # lectures past 40 (--scale) teach again
    blocks, t, n = [], 1_000, 0
    while True:
        dur = rng.randint(2_100, 3_300)
        if t + dur > LECTURE_MS:
            break
        n += 1
        if n % PROBLEM_EVERY == 0:
            text = PROBLEMS[(n // PROBLEM_EVERY + k) % len(PROBLEMS)].format(n=rng.randint(0, 99_999_999))
        else:
            text = _line(rng, focus, english=0.2)
        blocks.append(f"{n}\n{_stamp(t)} --> {_stamp(t + dur)}\n{text}\n")
        t += dur + rng.randint(40, 200)
    return "\n".join(blocks)


def _pdf(orientation: str, fmt, title: str):
    from fpdf import FPDF

    pdf = FPDF(orientation=orientation, unit="mm", format=fmt)
    pdf.set_creation_date(CREATED)
    pdf.set_title(title)
    pdf.set_author("bench/make_large_course.py")
    pdf.add_font("body", "", str(CJK_FONT))
    pdf.set_auto_page_break(False)
    return pdf


def slides_pdf(path: Path) -> None:
    """300 slide pages following the syllabus order (about 1.5 pages per topic)."""
    rng = random.Random(7)
    pdf = _pdf("L", (190.5, 338.7), "Lectures")
    items = topics()
    for p in range(SLIDE_PAGES):
        first = p * len(items) // SLIDE_PAGES
        focus = _focus(first, 2)
        a, _ = focus[0] if focus else _term_pair(rng, [])
        pdf.add_page()
        pdf.set_font("body", size=24)
        pdf.set_xy(16, 14)
        pdf.cell(300, 12, f"{p // 8 + 1}.{p % 8 + 1}  {ZH_TERMS[a]}  /  {EN_TERMS[a]}")
        pdf.set_font("body", size=15)
        y = 36
        for _ in range(8):
            pdf.set_xy(22, y)
            pdf.cell(300, 9, "• " + _line(rng, focus, english=0.35))
            y += 16
        pdf.set_font("body", size=10)
        pdf.set_xy(300, 178)
        pdf.cell(30, 6, str(p + 1))
    path.write_bytes(bytes(pdf.output()))


def syllabus_pdf(path: Path) -> None:
    pdf = _pdf("P", "A4", "Syllabus")
    items = topics()
    for page in range(SYLLABUS_PAGES):
        pdf.add_page()
        y = 18
        if page == 0:
            pdf.set_font("body", size=17)
            pdf.set_xy(20, y)
            pdf.cell(170, 10, "《计算机系统综合》课程教学大纲  Syllabus", align="C")
            y += 14
        for j in range(TOPICS_PER_PAGE):
            n = page * TOPICS_PER_PAGE + j
            zh, en, _ = items[n]
            pdf.set_font("body", size=12)
            pdf.set_xy(20, y)
            pdf.cell(170, 7, f"第{n + 1}讲 {zh}（{en}）")
            pdf.set_font("body", size=9.5)
            pdf.set_xy(26, y + 8)
            pdf.cell(165, 6, "教学要求：掌握基本概念、典型算法与工程实现，完成配套的课后练习。")
            y += 25 if page else 24
    path.write_bytes(bytes(pdf.output()))


def manifest(scale: int = 1) -> dict:
    files = [{"path": "syllabus/syllabus.pdf", "role": "syllabus", "title": "教学大纲"},
             {"path": "slides/lectures.pdf", "role": "slides", "title": "全部课件"}]
    files += [{"path": f"transcripts/lec{k:02d}.srt", "role": "transcript", "title": f"第{k}讲"}
              for k in range(1, LECTURES * scale + 1)]
    return {
        "id": "bench-large-course", "title": {"zh": "计算机系统综合", "en": "Computer Systems (benchmark)"},
        "institution": "江东理工大学", "lecturers": ["王建国"], "responsible_teacher": "王建国",
        "platform": "中国大学MOOC", "term": "2025秋", "date": "2025-09-01", "credit_hours": 2,
        "language": "bilingual", "files": files,
    }


def make(out: Path, force: bool = False, scale: int = 1) -> Path:
    """Generate the course into ``out`` (skipped when it is already complete, unless ``force``).

    ``scale`` multiplies the transcripts (40 × scale one-hour lectures; slides and
    syllabus unchanged): the memory benchmark runs at 4×."""
    stamp = out.parent / f".{out.name}.complete"  # beside, not inside, the package
    if stamp.exists() and not force:
        return out
    if out.exists():
        shutil.rmtree(out)
    for sub in ("slides", "transcripts", "syllabus"):
        (out / sub).mkdir(parents=True)
    for k in range(1, LECTURES * scale + 1):
        (out / "transcripts" / f"lec{k:02d}.srt").write_text(lecture_srt(k), encoding="utf-8")
    slides_pdf(out / "slides" / "lectures.pdf")
    syllabus_pdf(out / "syllabus" / "syllabus.pdf")
    (out / "course.yaml").write_text(yaml.safe_dump(manifest(scale), allow_unicode=True, sort_keys=False),
                                     encoding="utf-8")
    stamp.write_text("ok\n")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--force", action="store_true", help="regenerate even if present")
    ap.add_argument("--scale", type=int, default=1,
                    help="transcripts × N (default out: large-course-xN); slides and syllabus as at 1")
    args = ap.parse_args()
    if args.scale > 1 and args.out == DEFAULT_OUT:
        args.out = DEFAULT_OUT.with_name(f"large-course-x{args.scale}")
    if not CJK_FONT.exists():
        print(f"missing CJK font {CJK_FONT}", file=sys.stderr)
        return 2
    t = time.perf_counter()
    out = make(args.out, args.force, args.scale)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"{out}: {size / 2**20:.1f} MB in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
