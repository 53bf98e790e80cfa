"""Coverage decisions on a labelled mini course (written after the engine was tuned).

A Chinese operating-systems course (transcript cues + slides) and an English
machine-learning course; each topic is labelled taught or not.  Hard decoys share
a strong word with taught topics (磁盘调度 vs 进程调度, 分布式文件系统 vs 文件系统) or
only generic words (网络安全, deep learning).  Positive class = "not taught"
(that is what the check reports).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.checks.coverage import check_coverage
from reviewer.checks.model import CheckContext
from reviewer.checks.rulefile import parse_rule_text
from reviewer.ingest.model import FileRecord, Locator, Package, Segment

SHIPPED = Path(__file__).resolve().parents[2] / "lexicons" / "coverage.yaml"

OS_TRANSCRIPT = """\
同学们好，今天我们开始讲进程管理。
进程是程序的一次执行过程，是资源分配的基本单位。
线程是处理机调度的基本单位，同一进程内的线程共享地址空间。
所以进程和线程最大的区别在于资源是否独立。
下面讲进程调度，也就是 CPU 调度。
先来先服务算法按照到达顺序分配处理机。
短作业优先可以降低平均等待时间，但长作业可能饥饿。
时间片轮转把 CPU 时间分成小片，轮流分给就绪队列里的进程。
好，接下来我们讨论进程同步。
多个进程访问临界区时需要互斥。
信号量是一个整型变量，只能通过 P 操作和 V 操作来访问。
经典的生产者消费者问题可以用三个信号量来解决：empty、full 和 mutex。
读者写者问题和哲学家就餐问题留作课后思考。
然后是死锁。死锁产生有四个必要条件：互斥、占有并等待、不可抢占、循环等待。
预防死锁就是破坏其中一个条件，比如一次性申请所有资源。
避免死锁的经典方法是银行家算法，它在分配前检查系统是否处于安全状态。
检测到死锁以后可以撤销进程或者剥夺资源来解除。
我们休息十分钟。
下面讲内存管理。分页把逻辑地址空间分成大小相等的页。
页表记录每一页对应的物理块号，快表可以加速地址变换。
虚拟内存允许程序只装入一部分就开始运行。
缺页时需要页面置换，常见的有 FIFO、LRU 和 OPT 算法。
LRU 淘汰最近最久未使用的页面，实现时可以用栈或者计数器。
最后我们看文件系统。
Unix 的文件系统用 inode 也就是索引节点记录文件的属性和数据块地址。
索引节点里有直接块、一次间接块、二次间接块，这种多级索引结构支持很大的文件。
目录是文件名到索引节点的映射。
今天就讲到这里，大家记得交作业。
"""

OS_SLIDES = [
    "第一讲 操作系统概述\n操作系统的定义、功能与发展历史；批处理、分时与实时系统的概念。",
    "系统调用\n用户态与内核态；系统调用的执行过程；trap 指令。",
    "进程状态转换\n就绪、运行、阻塞三态模型与五态模型。",
]

ML_SLIDES = [
    "Linear regression\nWe fit a line by minimising the squared error. The normal equation gives "
    "the closed-form solution; gradient descent updates the weights iteratively.",
    "Logistic regression\nThe sigmoid maps scores to probabilities; we train it with the log loss "
    "(cross-entropy) and read the decision boundary off the weights.",
    "Overfitting\nA model that memorises the training set generalises badly. Ridge and lasso "
    "penalties shrink the weights; we pick the penalty by k-fold cross-validation.",
    "Decision trees\nA tree splits on the feature with the largest information gain. Random "
    "forests average many trees grown on bootstrap samples.",
    "Neural networks\nLayers of units with nonlinear activations; backpropagation computes the "
    "gradient of the loss layer by layer.",
    "Machine learning in practice\nDeep learning, transfer learning and learning-rate schedules "
    "are everywhere in industry today.",
]

# (title, taught?)
TOPICS = [
    ("进程与线程的区别", True),
    ("CPU调度算法", True),
    ("进程同步与信号量", True),
    ("生产者-消费者问题", True),
    ("死锁的预防与避免", True),
    ("银行家算法", True),
    ("虚拟内存与页面置换算法", True),
    ("文件系统的索引结构", True),
    ("系统调用与内核态", True),
    ("分页存储管理与快表", True),
    ("磁盘调度算法", False),
    ("I/O系统：中断与DMA", False),
    ("分布式文件系统", False),
    ("网络安全", False),
    ("嵌入式操作系统的移植", False),
    ("设备驱动程序", False),
    ("Gradient descent for linear models", True),
    ("Classification with logistic regression", True),
    ("Regularization and cross-validation", True),
    ("Tree ensembles: random forests", True),
    ("Backpropagation in neural networks", True),
    ("Support vector machines and kernels", False),
    ("Reinforcement learning", False),
    ("Clustering with k-means", False),
    ("Recurrent networks for sequences", False),
    ("Bayesian learning", False),
]


def _course() -> Package:
    cues = [Segment("t/os.srt", i, Locator(cue=i + 1, start_ms=i * 6000, end_ms=i * 6000 + 5000), t)
            for i, t in enumerate(OS_TRANSCRIPT.splitlines())]
    os_slides = [Segment("s/os.pptx", i, Locator(slide=i + 1), t) for i, t in enumerate(OS_SLIDES)]
    ml_slides = [Segment("s/ml.pdf", i, Locator(page=i + 1), t) for i, t in enumerate(ML_SLIDES)]
    files = [
        FileRecord("course.yaml", 1, "m", role="manifest", format="yaml"),
        FileRecord("t/os.srt", 1, "a", role="transcript", format="srt", segments=cues),
        FileRecord("s/os.pptx", 1, "b", role="slides", format="pptx", segments=os_slides),
        FileRecord("s/ml.pdf", 1, "c", role="slides", format="pdf", segments=ml_slides),
    ]
    manifest = {"topics": [title for title, _ in TOPICS]}
    return Package(source="/mini", kind="dir", files=files, digest="sha256:0", manifest=manifest)


@pytest.fixture(scope="module")
def rules():
    return parse_rule_text(SHIPPED.read_text(encoding="utf-8"), str(SHIPPED)).rules


def test_coverage_decisions_on_the_labelled_mini_course(rules):
    result = check_coverage(CheckContext(package=_course(), rules={"coverage": [rules]}))
    decided = {t.title: (t.covered, t.score) for t in result.coverage.topics}
    truth = dict(TOPICS)
    flagged = {t for t, (covered, _) in decided.items() if not covered}
    should = {t for t, taught in truth.items() if not taught}
    tp, fp, fn = len(flagged & should), len(flagged - should), len(should - flagged)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    accuracy = sum(decided[t][0] == truth[t] for t in truth) / len(truth)
    print(f"\ncoverage mini course: {len(truth)} topics, uncovered-topic findings "
          f"precision={precision:.3f} recall={recall:.3f}, decisions accuracy={accuracy:.3f}")
    for title, taught in TOPICS:
        covered, score = decided[title]
        if covered != taught:
            print(f"  wrong: {title} taught={taught} score={score:.2f}")
    assert precision >= 0.85 and recall >= 0.85
