"""The words of the handover file and the period report, in English and Chinese, and how times are written.

`Wording(lang, timezone)("key", name=value)` formats one entry; a key missing in Chinese falls back to
English. Times are shown in the site's timezone. Device and operator text never comes through this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from dutyroom.config.durations import format_duration

_STRINGS: dict[str, tuple[str, str]] = {
    # States and severities (a word beside an ASCII symbol, so files read without colour)
    "state.ok": ("OK", "正常"),
    "state.warning": ("WARNING", "警告"),
    "state.critical": ("CRITICAL", "严重"),
    "state.unreachable": ("UNREACHABLE", "不可达"),
    "state.unknown": ("UNKNOWN", "未知"),
    "state.stale": ("STALE", "数据过期"),
    "severity.critical": ("critical", "严重"),
    "severity.warning": ("warning", "警告"),
    "severity.info": ("info", "提示"),
    # Handover
    "handover.title": ("Shift handover: {site}", "交接班记录：{site}"),
    "handover.site": ("Site: {site}", "机房：{site}"),
    "handover.shift": ("Shift: {shift}, {start} to {end} ({tz})", "班次：{shift}，{start} 至 {end}（{tz}）"),
    "handover.written": ("Written {at} by {who}", "{at} 由 {who} 生成"),
    "handover.on_duty": ("On duty (acted this shift): {names}", "本班值班（有操作记录）：{names}"),
    "handover.roster": ("Roster: {names}", "排班表：{names}"),
    "handover.verdict": ("Verdict: {text}", "结论：{text}"),
    "shift.day": ("day", "白班"),
    "shift.night": ("night", "夜班"),
    "verdict.critical": ("{n} critical alert{s} open, {u} unacknowledged", "{n} 条严重告警未恢复，其中 {u} 条未确认"),
    "verdict.warning": ("{n} warning{s} open, {u} unacknowledged", "{n} 条警告未恢复，其中 {u} 条未确认"),
    "verdict.and_warnings": ("; {n} warning{s} open", "；另有 {n} 条警告未恢复"),
    "verdict.clear": (
        "all clear now; {n} alert{s} opened and resolved during the shift",
        "当前无告警；本班共有 {n} 条告警发生并已恢复",
    ),
    "verdict.quiet": ("quiet shift", "本班平稳，无告警"),
    "verdict.all_clear": ("all clear now", "当前无未结事项"),
    "verdict.no_alerts": ("no alerts open", "当前无告警"),
    "verdict.runs": ("{n} playbook run{s} still open", "{n} 个预案执行仍未结束"),
    "verdict.missed": ("{n} deadline{s} MISSED", "{n} 项时限已超时"),
    "verdict.awaiting": ("{n} step{s} awaiting a second operator", "{n} 个步骤等待第二人确认"),
    "section.open": ("Open alerts ({n})", "未恢复告警（{n}）"),
    "section.resolved": ("Opened and resolved during the shift", "本班发生并已恢复的告警"),
    "section.runs": ("Playbook runs", "应急预案执行"),
    "section.silences": ("Silences and maintenance ending by {at}", "下一班结束（{at}）前到期的屏蔽与维护"),
    "section.targets": ("Flapping, stale and unreachable targets", "抖动、数据过期与不可达的对象"),
    "section.collectors": ("Collector health", "采集状态"),
    "section.capacity": ("Capacity headroom", "容量余量"),
    "section.notes": ("Notes for the next shift", "给下一班的留言"),
    "section.drills": ("DRILLS (exercises, not real incidents)", "演练（非真实事件）"),
    "section.signoff": ("Sign-off", "交接签字"),
    "none": ("None.", "无。"),
    "separator": ("; ", "；"),
    "alert.since": ("since {at} ({age})", "自 {at} 起（已 {age}）"),
    "alert.value": ("value {value}, {age} ago", "当前值 {value}（{age} 前）"),
    "alert.reason": ("reason: {text}", "原因：{text}"),
    "alert.summary": ("summary: {text}", "说明：{text}"),
    "alert.description": ("description: {text}", "描述：{text}"),
    "alert.acked": ("acknowledged by {who} at {at}: {comment}", "{who} 于 {at} 确认：{comment}"),
    "alert.ack_expires": ("; the acknowledgement expires {at}", "；确认于 {at} 失效"),
    "alert.not_acked": ("NOT acknowledged", "未确认"),
    "alert.silenced": ("silenced by {id}", "已被屏蔽（{id}）"),
    "alert.suppressed": ("suppressed: {parent} is down", "已抑制：上游 {parent} 故障"),
    "alert.flapping": ("flapping", "抖动中"),
    "alert.escalated": ("ESCALATE: unacknowledged too long", "需升级：长时间未确认"),
    "alert.pending": ("pending", "待定"),
    "alert.note": ("note by {who} at {at}: {text}", "{who} 于 {at} 备注：{text}"),
    "drill": ("[DRILL]", "【演练】"),
    "col.target": ("Target", "对象"),
    "col.rule": ("Rule", "规则"),
    "col.worst": ("Worst", "最高级别"),
    "col.times": ("Times", "次数"),
    "col.first": ("First", "首次"),
    "col.longest": ("Longest", "最长"),
    "col.total": ("Total", "合计"),
    "col.headroom": ("Headroom", "余量倍数"),
    "col.needed": ("Needed", "要求"),
    "col.peak": ("Peak", "峰值"),
    "col.capacity": ("Capacity", "容量"),
    "col.status": ("Status", "状态"),
    "col.group": ("Group", "分组"),
    "col.targets": ("Targets", "对象数"),
    "col.available": ("Avail.", "可用率"),
    "col.critical": ("Critical", "严重"),
    "col.warning": ("Warning", "警告"),
    "col.ok": ("OK", "正常"),
    "col.run": ("Run", "预案执行"),
    "col.deadline": ("Deadline", "时限"),
    "col.due": ("Due", "截止"),
    "col.settled": ("Settled", "完成"),
    "col.when": ("When", "时间"),
    "col.who": ("Who", "操作人"),
    "col.action": ("Action", "操作"),
    "col.detail": ("Detail", "内容"),
    "col.count": ("Count", "次数"),
    "capacity.ok": ("ok", "充足"),
    "capacity.low": ("BELOW", "不足"),
    "capacity.unknown": ("unknown", "未知"),
    "run.head": ("{title} [{run}]", "{title} [{run}]"),
    "run.for": ("for {target} ({rule}); started {at} by {who}", "对象 {target}（{rule}）；{who} 于 {at} 启动"),
    "run.by_hand": ("started by hand {at} by {who}", "{who} 于 {at} 手动启动"),
    "run.closed": ("closed {at} by {who} {reason}", "{who} 于 {at} 关闭 {reason}"),
    "run.open": ("still open: {done} of {steps} steps done", "仍在执行：已完成 {done}/{steps} 步"),
    "step.done": ("step {n} done by {who} at {at}: {text}", "第 {n} 步 {who} 于 {at} 完成：{text}"),
    "step.open": ("step {n} OPEN: {text}", "第 {n} 步 未完成：{text}"),
    "step.awaiting": (
        "step {n} awaiting confirmation by a second operator (ticked by {who} at {at}): {text}",
        "第 {n} 步 等待第二人确认（{who} 于 {at} 勾选）：{text}",
    ),
    "step.skipped": ("step {n} skipped by {who} at {at}: {reason}", "第 {n} 步 {who} 于 {at} 跳过：{reason}"),
    "deadline.met": ("deadline {what}: met at {at} (due {due})", "时限 {what}：已于 {at} 完成（截止 {due}）"),
    "deadline.missed": ("deadline {what}: MISSED (due {due})", "时限 {what}：已超时（截止 {due}）"),
    "deadline.pending": ("deadline {what}: due {due}, {left} left", "时限 {what}：截止 {due}，剩余 {left}"),
    "deadline.waived": ("deadline {what}: waived (step skipped)", "时限 {what}：已豁免（步骤已跳过）"),
    "state.met": ("met", "按时"),
    "state.missed": ("MISSED", "超时"),
    "state.pending": ("pending", "未到期"),
    "state.waived": ("waived", "豁免"),
    "silence.line": ("{id} ({match}) by {who}: ends {end}", "{id}（{match}）由 {who} 设置：{end} 结束"),
    "silence.any": ("everything", "全部"),
    "target.unreachable": (
        "{target}: {state} since {at} ({n} failed polls): {reason}",
        "{target}：自 {at} 起{state}（连续 {n} 次失败）：{reason}",
    ),
    "target.stale": ("{target}: {rule} STALE: {reason}", "{target}：{rule} 数据过期：{reason}"),
    "target.late": ("{target}: no fresh poll result since {at}", "{target}：自 {at} 起没有新的采集结果"),
    "target.never": ("{target}: never polled", "{target}：从未采集"),
    "target.flapping": ("{target}: {rule} is FLAPPING", "{target}：{rule} 抖动中"),
    "collectors.counts": (
        "{targets} targets polled: {on_time} on time, {stale} stale, {failing} failing",
        "共 {targets} 个采集对象：{on_time} 个正常，{stale} 个数据过期，{failing} 个失败",
    ),
    "collectors.poller": ("poller last seen {age} ago (pid {pid})", "采集进程最近心跳：{age} 前（pid {pid}）"),
    "collectors.no_poller": ("NO POLLER has written a heartbeat here", "没有采集进程的心跳记录"),
    "collectors.poller_stale": ("POLLER SILENT for {age} (pid {pid})", "采集进程已 {age} 无心跳（pid {pid}）"),
    "note.handover": ("{who} at {at}: {text}", "{who}（{at}）：{text}"),
    "note.alert": ("{who} at {at} on {target} {rule}: {text}", "{who}（{at}）关于 {target} {rule}：{text}"),
    "drill.alert": (
        "{target} {rule}: {severity} from {start} to {end}",
        "{target} {rule}：{severity}，{start} 至 {end}",
    ),
    "drill.run": ("{title} [{run}]: {done} of {steps} steps done", "{title} [{run}]：已完成 {done}/{steps} 步"),
    "drill.action": ("{who} at {at}: {kind} {detail}", "{who}（{at}）：{kind} {detail}"),
    "still.open": ("still open", "仍未恢复"),
    "sign.outgoing": ("Outgoing: {who}, signed {at}", "交班人：{who}，签字时间 {at}"),
    "sign.incoming": ("Incoming: {who}, signed {at}", "接班人：{who}，签字时间 {at}"),
    "sign.missing_out": ("Outgoing: not signed yet", "交班人：尚未签字"),
    "sign.missing_in": ("Incoming: not signed yet", "接班人：尚未签字"),
    "sign.digest": ("content sha256 {digest}", "内容 sha256 {digest}"),
    "sign.changed": (
        "The content changed between the two signatures.",
        "两次签字之间文件内容发生了变化。",
    ),
    "sign.how": ("Sign with: dutyroom handover --sign", "签字命令：dutyroom handover --sign"),
    # Period report
    "report.title": ("Operations report: {site}", "运行情况报告：{site}"),
    "report.period": ("Period: {since} to {until} ({tz}), {length}", "报告期：{since} 至 {until}（{tz}），共 {length}"),
    "report.summary": (
        "{incidents} incident{s} ({critical} critical); availability {availability}; "
        "{actions} operator action{s2}; {drills} drill item{s3}",
        "{incidents} 起事件（严重 {critical} 起）；可用率 {availability}；操作 {actions} 次；演练 {drills} 项",
    ),
    "report.written": ("Written {at}", "生成时间 {at}"),
    "section.by_group": ("Availability by group", "分组可用率"),
    "section.by_target": ("Availability by target", "对象可用率"),
    "section.incidents": ("Incidents ({n})", "事件（{n}）"),
    "section.deadlines": ("Playbook deadlines", "预案时限"),
    "deadline.item": ("{state}: {what}", "{state}：{what}"),
    "deadline.row": ("{run}: due {due}, settled {settled}", "{run}：截止 {due}，完成 {settled}"),
    "section.capacity_peaks": ("Capacity: peaks in the period against capacity", "容量：报告期峰值与容量"),
    "section.actions": ("Operator actions ({n})", "操作记录（{n}）"),
    "incident.head": (
        "{target} {rule} [{severity}]: {start} to {end} ({duration})",
        "{target} {rule} [{severity}]：{start} 至 {end}（{duration}）",
    ),
    "incident.durations": (
        "time to acknowledge {ack}; time to resolve {resolve}",
        "确认用时 {ack}；恢复用时 {resolve}",
    ),
    "event.pending": ("{at} first alert (pending), value {value}", "{at} 首次告警（待定），值 {value}"),
    "event.firing": ("{at} firing, {severity}, value {value}", "{at} 触发告警，{severity}，值 {value}"),
    "event.resolved": ("{at} resolved, value {value}", "{at} 恢复，值 {value}"),
    "event.ack": ("{at} acknowledged by {who}: {text}", "{at} {who} 确认：{text}"),
    "event.unack": ("{at} acknowledgement withdrawn by {who}", "{at} {who} 撤销确认"),
    "event.note": ("{at} note by {who}: {text}", "{at} {who} 备注：{text}"),
    "event.run": ("{at} playbook {title} started by {who}", "{at} {who} 启动预案 {title}"),
    "event.step": ("{at} step {n} {what} by {who}", "{at} 第 {n} 步 {who} {what}"),
    "event.run_join": ("{at} joined the open playbook run", "{at} 并入正在执行的预案"),
    "event.run_closed": ("{at} run closed by {who}", "{at} {who} 关闭预案执行"),
    "step.word.step": ("done", "完成"),
    "step.word.step-confirm": ("confirmed", "复核"),
    "step.word.step-skip": ("skipped", "跳过"),
    "step.word.step-undo": ("undone", "撤销"),
    "step.word.step-note": ("noted", "备注"),
    "before": ("before {at}", "{at} 之前"),
    # Trading hours: when an incident fell, the next open and its pre-open check (dutyroom.documents.trading_hours)
    "impact.trading": ("in a trading session; trading affected {length}", "发生在交易时段；影响交易 {length}"),
    "impact.off-hours": ("off-hours; trading not affected", "非交易时段；未影响交易"),
    "impact.holiday": ("on a holiday; trading not affected", "节假日；未影响交易"),
    "impact.provisional": (" (provisional calendar)", "（临时日历）"),
    "impact.word.trading": ("trading", "交易时段"),
    "impact.word.off-hours": ("off-hours", "非交易时段"),
    "impact.word.holiday": ("holiday", "节假日"),
    "col.session": ("In", "时段"),
    "col.trading": ("Trading", "影响交易"),
    "handover.next_open": (
        "Next open: {at}{mark}; pre-open check: {check}",
        "下次开市：{at}{mark}；开市前检查：{check}",
    ),
    "preopen.none": ("not started", "尚未开始"),
    "preopen.done": ("done {at} ({title} [{run}])", "已于 {at} 完成（{title} [{run}]）"),
    "preopen.progress": (
        "IN PROGRESS, {done} of {steps} steps done ({title} [{run}])",
        "进行中，已完成 {done}/{steps} 步（{title} [{run}]）",
    ),
    "preopen.closed": (
        "CLOSED UNFINISHED, {done} of {steps} steps done ({title} [{run}])",
        "未完成即关闭，已完成 {done}/{steps} 步（{title} [{run}]）",
    ),
    "verdict.held": ("{n} silenced or suppressed", "{n} 条已屏蔽或被抑制"),
    "resolved.ack": (
        "{target} {rule}: acknowledged by {who} at {at}: {comment}",
        "{target} {rule}：{who} 于 {at} 确认：{comment}",
    ),
    "event.step_ticked": (
        "{at} step {n} ticked by {who}, awaiting confirmation",
        "{at} 第 {n} 步 {who} 勾选，等待第二人确认",
    ),
    "event.step_confirmed": ("{at} step {n} confirmed by {who}, done", "{at} 第 {n} 步 {who} 复核确认，完成"),
    "unknown": ("-", "-"),
}


@dataclass(frozen=True)
class Wording:
    """Fixed text in one language plus time formats in the site's timezone."""

    lang: str
    timezone: ZoneInfo

    def __call__(self, key: str, **values: object) -> str:
        english, chinese = _STRINGS.get(key, (key, ""))
        template = chinese if self.lang == "zh" and chinese else english
        return template.format(**values)

    def plural(self, count: int) -> str:
        return "" if count == 1 or self.lang == "zh" else "s"

    def local(self, at: float) -> datetime:
        return datetime.fromtimestamp(at, self.timezone)

    def stamp(self, at: float) -> str:
        """Date and time to the second, for headers and sign-off."""
        return self.local(at).strftime("%Y-%m-%d %H:%M:%S")

    def minute(self, at: float) -> str:
        """Date and time to the minute."""
        return self.local(at).strftime("%Y-%m-%d %H:%M")

    def short(self, at: float, day_of: float) -> str:
        """HH:MM when `at` falls on the same local day as `day_of`, else MM-DD HH:MM."""
        local = self.local(at)
        return local.strftime("%H:%M" if local.date() == self.local(day_of).date() else "%m-%d %H:%M")

    @staticmethod
    def duration(seconds: float) -> str:
        return format_duration(seconds)
