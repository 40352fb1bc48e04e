"""Where a real training step's time goes: reads the JFR execution and native-method samples of the training
benchmark's child (`jfr print` output), keeps the main thread's samples inside ComputationGraph.fit after the first
third of them (JIT warm-up and the activations workspace's layout), and counts each under the innermost frame of a
layer, vertex or kernel class. The main thread runs every layer, and waits in a parallel kernel's call while the
other core works, so its samples share out the wall time of the steps.

    java -XX:StartFlightRecording=filename=steps.jfr,settings=profile <the train benchmark child's JVM options> \\
        -Dphases=end_to_end -Dsteps=12 -cp <shm-bench's class path> dev.shm.bench.TrainBench child
    jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample --stack-depth 80 steps.jfr > steps.txt
    /usr/bin/python3 shm-bench/src/main/python/step_profile.py steps.txt
"""
import collections
import re
import sys

LAYER_FRAME = re.compile(
    r"(dev\.shm\.runtime\.model\.[\w$]+"
    r"|org\.deeplearning4j\.nn\.layers\.[\w.$]+"
    r"|org\.deeplearning4j\.nn\.graph\.vertex\.impl\.[\w$]+"
    r"|org\.deeplearning4j\.nn\.updater\.[\w.$]+"
    r"|org\.deeplearning4j\.optimize\.[\w.$]+"
    r"|org\.deeplearning4j\.nn\.graph\.ComputationGraph)\.([\w$<>]+)")


def frames(event):
    return re.findall(r"^\s{4}(\S.*?)\(", event, re.M)


def owner(stack):
    """The innermost layer-level frame, as Class.method (a lambda counted under the method that made it)."""
    for frame in stack:
        match = LAYER_FRAME.match(frame)
        if match:
            method = re.sub(r"lambda\$(\w+)\$\d+", r"\1", match.group(2))
            return match.group(1).split(".")[-1] + "." + method
    return stack[0] if stack else "?"


def main(path, rows=30):
    events = open(path, encoding="utf-8").read().split("\n\n")
    steps = [frames(e) for e in events if 'sampledThread = "main"' in e]
    steps = [s for s in steps if any("ComputationGraph.fit" in f for f in s)
             and not any("ActivationWorkspace" in f for f in s)]
    kept = steps[len(steps) // 3:]
    counts = collections.Counter(owner(s) for s in kept)
    print(f"{len(kept)} samples of the main thread in training steps, the first {len(steps) - len(kept)} left out")
    print("| share | samples | innermost layer, vertex or kernel frame |")
    print("|---|---|---|")
    for name, count in counts.most_common(rows):
        print(f"| {100 * count / len(kept):.1f}% | {count} | {name} |")


if __name__ == "__main__":
    main(sys.argv[1])
