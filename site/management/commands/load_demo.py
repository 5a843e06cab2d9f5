"""Load the synthetic Jiashan demo (嘉善县): deterministic, idempotent."""

from django.core.management.base import BaseCommand

from website.demo.jiashan import DEFAULT_SEED, load_demo


class Command(BaseCommand):
    help = "加载嘉善县演示数据（虚构、可重复运行；已加载时不作改动）。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help="随机数种子（默认 %(default)s）；同一种子总是生成相同的数据。")

    def handle(self, *args, seed, **options):
        counts = load_demo(seed=seed, log=self.stdout.write)
        if counts is None:
            self.stdout.write("演示数据已存在（嘉善县社区发展基金会枢纽已在库中），未作任何改动。")
            return
        self.stdout.write(self.style.SUCCESS("嘉善县演示数据已加载。"))
