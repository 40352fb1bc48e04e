"""The shm network written in PyTorch, timed as TrainBench times shm: the same layers (T-Net's MobileNetV2
encoder and U-Net decoder with the fixed bilinear upsampling, M-Net, the fusion), the same losses (trimap
cross-entropy, the alpha and composition losses), Adam with weight decay, random batches, one warm-up step
then timed steps. Prints table rows like the Java benchmarks.

    /usr/bin/python3 shm-bench/src/main/python/train_torch.py --threads 2 --size 320 --batch 8 --steps 2

Needs PyTorch (Debian: apt-get install python3-torch); it is a yardstick, not part of the build.
"""
import argparse
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

ENCODER = [  # name, blocks, in, out, expansion, stride of the first block (TNet.ENCODER)
    ("b1", 1, 32, 16, 1, 1), ("b2", 2, 16, 24, 6, 2), ("b3", 3, 24, 32, 6, 2), ("b4", 4, 32, 64, 6, 2),
    ("b5", 3, 64, 96, 6, 1), ("b6", 3, 96, 160, 6, 2), ("b7", 1, 160, 320, 6, 1)]
DECODER = [("d4", 320, 96, "s4"), ("d3", 96, 32, "s3"), ("d2", 32, 24, "s2"), ("d1", 24, 16, "s1")]


def conv_bn(cin, cout, kernel, stride=1, groups=1, bias=False, act=None):
    layers = [nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=bias), nn.BatchNorm2d(cout, eps=1e-5)]
    if act is not None:
        layers.append(act)
    return nn.Sequential(*layers)


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, expansion, stride):
        super().__init__()
        hidden = cin * expansion
        self.residual = stride == 1 and cin == cout
        self.body = nn.Sequential(conv_bn(cin, hidden, 1, act=nn.ReLU6(inplace=True)),
                                  conv_bn(hidden, hidden, 3, stride, groups=hidden, act=nn.ReLU6(inplace=True)),
                                  conv_bn(hidden, cout, 1))

    def forward(self, x):
        return x + self.body(x) if self.residual else self.body(x)


class Bilinear(nn.Module):
    """Nearest x2 then the fixed depthwise [1/4, 1/2, 1/4] outer-product kernel, as TNet builds it."""

    def __init__(self, channels):
        super().__init__()
        taps = torch.tensor([0.25, 0.5, 0.25])
        self.register_buffer("kernel", torch.outer(taps, taps).expand(channels, 1, 3, 3).contiguous())
        self.channels = channels

    def forward(self, x):
        return F.conv2d(F.interpolate(x, scale_factor=2, mode="nearest"), self.kernel, padding=1, groups=self.channels)


class TNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = conv_bn(3, 32, 3, act=nn.ReLU(inplace=True))
        self.stages = nn.ModuleList()
        for _, blocks, cin, cout, t, stride in ENCODER:
            self.stages.append(nn.Sequential(*[InvertedResidual(cin if b == 0 else cout, cout, t, stride if b == 0 else 1)
                                               for b in range(blocks)]))
        self.up = nn.ModuleList(Bilinear(cin) for _, cin, _, _ in DECODER)
        self.conv = nn.ModuleList(conv_bn(cin, cout, 3, bias=True, act=nn.ReLU(inplace=True)) for _, cin, cout, _ in DECODER)
        self.fuse = nn.ModuleList(conv_bn(cout, cout, 3, bias=True) for _, _, cout, _ in DECODER)
        self.out = nn.Conv2d(16, 3, 3, padding=1, bias=True)

    def forward(self, x):
        x = self.head(x)
        skips = {}
        for (name, *_), stage in zip(ENCODER, self.stages):
            x = stage(x)
            skips[{"b1": "s1", "b2": "s2", "b3": "s3", "b5": "s4"}.get(name, name)] = x
        for (_, _, _, skip), up, conv, fuse in zip(DECODER, self.up, self.conv, self.fuse):
            x = fuse(conv(up(x)) + skips[skip])
        return self.out(x)


class MNet(nn.Module):
    def __init__(self):
        super().__init__()
        enc = [(6, 16), (16, 32), (32, 64), (64, 128)]
        dec = [(128, 128), (128, 64), (64, 32), (32, 16)]
        self.encoder = nn.Sequential(*[nn.Sequential(conv_bn(i, o, 3, act=nn.ReLU(inplace=True)), nn.MaxPool2d(3, 2, 1))
                                       for i, o in enc])
        self.decoder = nn.Sequential(*[nn.Sequential(conv_bn(i, o, 3, act=nn.ReLU(inplace=True)),
                                                     nn.ConvTranspose2d(o, o, 5, 2, 2, output_padding=1, bias=False))
                                       for i, o in dec])
        self.out = nn.Conv2d(16, 1, 5, padding=2, bias=False)

    def forward(self, x):
        return self.out(self.decoder(self.encoder(x)))


def matte_loss(alpha, image, alpha_g):
    predicted = torch.cat([alpha, alpha * image], 1)
    labels = torch.cat([alpha_g, alpha_g * image], 1)
    error = torch.sqrt((predicted - labels) ** 2 + 1e-6)
    weights = torch.tensor([0.5, 0.5 / 3, 0.5 / 3, 0.5 / 3]).view(1, 4, 1, 1)
    return (error * weights).sum(1).mean()


def step_function(phase, size, batch):
    t_net, m_net = TNet(), MNet()
    params = list(t_net.parameters()) if phase == "t_net" else list(m_net.parameters()) if phase == "m_net" \
        else list(t_net.parameters()) + list(m_net.parameters())
    optimiser = torch.optim.Adam(params, lr=1e-4, weight_decay=5e-4)
    image = torch.rand(batch, 3, size, size)
    trimap = torch.randint(0, 3, (batch, size, size))
    alpha_g = torch.rand(batch, 1, size, size)

    def step():
        optimiser.zero_grad(set_to_none=True)
        if phase == "t_net":
            loss = F.cross_entropy(t_net(image), trimap)
        else:
            probabilities = F.one_hot(trimap, 3).permute(0, 3, 1, 2).float() if phase == "m_net" \
                else F.softmax(logits := t_net(image), 1)
            raw = m_net(torch.cat([image, probabilities], 1))
            alpha = probabilities[:, 2:3] + probabilities[:, 1:2] * raw
            loss = matte_loss(alpha, image, alpha_g)
            if phase == "end_to_end":
                loss = loss + 0.01 * F.cross_entropy(logits, trimap)
        loss.backward()
        optimiser.step()
    return step


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--size", type=int, default=320)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--steps", type=int, default=2)
    parser.add_argument("--phases", default="t_net,m_net,end_to_end")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    variant = f"pytorch {torch.__version__} threads{args.threads}"
    for phase in args.phases.split(","):
        step = step_function(phase, args.size, args.batch)
        step()
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        seconds = time.perf_counter() - start
        print(f"| {variant} | train {phase} | {args.size} | {args.batch * args.steps / seconds:.2f} images/s "
              f"| {seconds / args.steps:.2f} s/step |", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20
    print(f"| {variant} | peak resident memory | | {peak:.2f} GiB | |")


if __name__ == "__main__":
    main()
