# Word count as a Bytewax dataflow: the same steps as the playground's
# dataflow, on Bytewax workers that may sit in different processes or on
# different machines. Bytewax 0.21 (pip install bytewax==0.21.1).
#
# Each step of the playground's timeline is an operator here:
#   partition    the input's parts: one part of the text per worker
#                (TextSource below; Bytewax gives each part to one worker)
#   local count  "count_part": each worker counts the words of its part
#   exchange     the (word, count) pairs are routed by key, the word, so
#                every count of one word reaches the one worker that owns it
#                (Bytewax does this before every keyed, stateful operator; on
#                several processes or machines it goes over the network)
#   reduce       "reduce": that worker adds them up once the input has ended
#
# Run it (the file must be named {{module}}.py, or change
# the module name in the commands):
#   one process with {{threads_per_proc}} workers (threads):
#     python -m bytewax.run {{module}}:flow -w {{threads_per_proc}}
#   {{procs}} processes × {{threads_per_proc}} workers on this machine: one command per
#   process, each with its own process id (-i 0 … -i {{last_proc}}) and the same
#   list of every process's address and a free port (-a):
{{process_commands}}
#   a cluster of {{procs}} machines: the same commands, one per machine, with
#   each machine's address in -a (for example "10.0.0.1:2101;10.0.0.2:2101"),
#   the same list everywhere, and the port open between the machines.
# Each process prints the words its workers own: together, every word once.
import sys
import threading
from collections import Counter

import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.inputs import FixedPartitionedSource, StatefulSourcePartition
from bytewax.outputs import DynamicSink, StatelessSinkPartition

PARTS = {{parts}}  # one part per worker: {{procs}} processes × {{threads_per_proc}} workers


{{text_functions}}

TEXT = {{text}}


class OnePart(StatefulSourcePartition):
    """One part of the text, read once."""

    def __init__(self, text):
        self.text = text

    def next_batch(self):
        if self.text is None:
            raise StopIteration()
        text, self.text = self.text, None
        return [text]

    def snapshot(self):
        return None


class TextSource(FixedPartitionedSource):
    """The partition step: the text cut into PARTS parts."""

    def list_parts(self):
        return [f"part-{i}" for i in range(PARTS)]

    def build_part(self, step_id, for_part, resume_state):
        return OnePart(cut(TEXT, PARTS)[int(for_part.split("-")[1])])


PRINTING = threading.Lock()


class Lines(StatelessSinkPartition):
    def write_batch(self, items):
        # Whole lines: the workers of one process are threads sharing stdout.
        with PRINTING:
            sys.stdout.write("".join(f"{line}\n" for line in items))
            sys.stdout.flush()


class PrintLines(DynamicSink):
    def build(self, step_id, worker_index, worker_count):
        return Lines()


def count_part(part):
    # The local count: lower-case, split at whitespace, count.
    return list(Counter(part.lower().split()).items())


flow = Dataflow("wordcount")
parts = op.input("partition", flow, TextSource())
local_counts = op.flat_map("count_part", parts, count_part)  # (word, count) pairs
# Before this keyed step, the exchange routes each pair to its word's worker.
totals = op.reduce_final("reduce", local_counts, lambda a, b: a + b)
lines = op.map("format", totals, lambda pair: f"{pair[0]}\t{pair[1]}")
op.output("print", lines, PrintLines())
