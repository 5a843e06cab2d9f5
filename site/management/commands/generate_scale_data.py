"""Generate synthetic organizations at province or national scale, for benchmarks."""

from django.core.management.base import BaseCommand, CommandError

from website.demo.scale import generate_scale_data

MAX_ORGANIZATIONS = 2_000_000


class Command(BaseCommand):
    help = "生成大规模虚构数据（社会组织及其登记事项、年检、评估、信用、承接职能、孵化），用于性能测试。"

    def add_arguments(self, parser):
        parser.add_argument("--organizations", type=int, required=True,
                            help=f"生成的社会组织数量（1 至 {MAX_ORGANIZATIONS:,}）。")
        parser.add_argument("--seed", type=int, default=1, help="随机数种子（默认 1）。")
        parser.add_argument("--batch-size", type=int, default=10_000,
                            help="每批写入的社会组织数（默认 10000）。")

    def handle(self, *args, organizations, seed, batch_size, **options):
        if not 1 <= organizations <= MAX_ORGANIZATIONS:
            raise CommandError(
                f"--organizations 应在 1 至 {MAX_ORGANIZATIONS:,} 之间，实为 {organizations}。")
        if batch_size < 1:
            raise CommandError(f"--batch-size 应为正整数，实为 {batch_size}。")
        counts = generate_scale_data(organizations=organizations, seed=seed,
                                     log=self.stdout.write, batch_size=batch_size)
        summary = ",".join(f"{k} {v:,}" for k, v in counts.items() if k != "seconds")
        self.stdout.write(self.style.SUCCESS(f"完成：{summary}；用时 {counts['seconds']} 秒。"))
