"""Every interface string of the console, in English and Chinese; device text never comes through here.

`Translator(language)("key", name=value)` formats one entry; a key missing in Chinese falls back to English,
and a missing key shows as itself (so a gap is visible, never a crash).
"""

from __future__ import annotations

from dataclasses import dataclass

from dutyroom.config.types import Language
from dutyroom.model import State

_STRINGS: dict[str, tuple[str, str]] = {
    # States and severities (symbol + word, so they read without colour)
    "state.ok": ("OK", "正常"),
    "state.warning": ("WARNING", "警告"),
    "state.critical": ("CRITICAL", "严重"),
    "state.unreachable": ("UNREACHABLE", "不可达"),
    "state.unknown": ("UNKNOWN", "未知"),
    "state.stale": ("STALE", "过期"),
    "severity.critical": ("crit", "严重"),
    "severity.warning": ("warn", "警告"),
    "severity.info": ("info", "信息"),
    "severity_word.critical": ("CRITICAL", "严重"),
    "severity_word.warning": ("WARNING", "警告"),
    "severity_word.info": ("INFO", "信息"),
    "severity.capped": ("{severity} (capped {phase})", "{severity}（{phase}降级）"),
    "capped_in.trading": ("in trading", "交易时段"),
    "capped_in.pre-open": ("pre-open", "开盘前"),
    "capped_in.break": ("in the break", "休市间歇"),
    "capped_in.off-hours": ("off-hours", "非交易时段"),
    "mark.capped": ("CAP:{phase}", "降级:{phase}"),
    "mark.over_100": ("OVER100%", "超100%"),
    "phase.pending": ("pending", "待定"),
    "phase.resolved": ("resolved", "已恢复"),
    # Alert list
    "col.state": ("State", "状态"),
    "col.severity": ("Sev", "级别"),
    "col.site": ("Site", "站点"),
    "col.target": ("Target", "对象"),
    "col.rule": ("Rule", "规则"),
    "col.value": ("Value (age)", "值（时长）"),
    "col.value_only": ("Value", "值"),
    "col.since": ("Since", "开始"),
    "col.marks": ("Marks", "标记"),
    "col.summary": ("Summary", "说明"),
    "value.flag_cleared": ("normal", "正常"),
    "value.source_alert": ("firing", "告警中"),
    "alerts.title": ("Alerts", "告警"),
    "alerts.none": ("No active alerts.", "当前没有告警。"),
    "alerts.firing_above": ("{count} firing above", "上方 {count} 条告警未恢复"),
    "alerts.filtered": ("Alerts (filter: {text})", "告警（筛选：{text}）"),
    "filter.placeholder": (
        "filter: target, rule, group or state; Enter keeps, Esc clears",
        "筛选：对象、规则、分组或状态；回车保留，Esc 清除",
    ),
    # Playbook pane
    "playbook.title": ("Playbook", "应急预案"),
    "playbook.none": ("No playbook for this alert.", "此告警没有应急预案。"),
    "playbook.runbook": ("Runbook: {url}", "运维手册：{url}"),
    "alert.summary": ("Summary: {text}", "说明：{text}"),
    "alert.description": ("Description: {text}", "描述：{text}"),
    "playbook.no_alert": ("Select an alert to see its playbook.", "选择一条告警以查看其预案。"),
    "playbook.missing": ("Playbook '{id}' is not loaded.", "预案“{id}”未加载。"),
    "playbook.no_run": (
        "Not started: steps can be ticked once a run is open.",
        "尚未开始：预案运行开启后才能勾选步骤。",
    ),
    "playbook.two_person": ("[2P]", "[双人]"),
    "playbook.awaiting": ("awaiting a second operator", "等待第二人确认"),
    "playbook.ticked_by": ("ticked by {who} at {at}", "{who} 于 {at} 勾选"),
    "playbook.confirmed_by": ("confirmed by {who} at {at}", "{who} 于 {at} 复核"),
    "playbook.skipped_by": ("skipped by {who} at {at}: {reason}", "{who} 于 {at} 跳过：{reason}"),
    "playbook.drill": ("DRILL", "演练"),
    "playbook.joined": (
        "Joined the {playbook} run started {at} by {target} {rule}.",
        "已并入 {at} 由 {target} {rule} 启动的 {playbook} 预案执行。",
    ),
    "playbook.joined_by_hand": (
        "Joined the {playbook} run started {at} by hand.",
        "已并入 {at} 手动启动的 {playbook} 预案执行。",
    ),
    "playbook.closed": ("Run closed {at} by {who}: {reason}", "{who} 于 {at} 结束本次执行：{reason}"),
    "playbook.keys": (
        "space tick  c confirm  u undo  - skip  r run note  x close run",
        "空格 勾选  c 复核  u 撤销  - 跳过  r 执行备注  x 结束执行",
    ),
    "playbook.title_with_key": ("Playbook (p contacts, full text)", "应急预案（p 联系人、全文）"),
    # The whole playbook (p)
    "document.title": ("Playbook: {title}", "应急预案：{title}"),
    "document.contacts": ("Contacts, in escalation order", "联系人（按升级顺序）"),
    "document.no_contacts": ("This playbook lists no contacts.", "本预案未列出联系人。"),
    "document.hints": ("esc back  up/down PgUp/PgDn scroll", "esc 返回  上/下 PgUp/PgDn 滚动"),
    "deadline.left": ("{what}: {left} left", "{what}：剩余 {left}"),
    "deadline.missed": ("{what}: MISSED ({late} late)", "{what}：已超时（超过 {late}）"),
    "deadline.met": ("{what}: met at {at}", "{what}：已于 {at} 完成"),
    "deadline.waived": ("{what}: waived (step skipped)", "{what}：已免除（步骤跳过）"),
    # Overview and status line
    "overview.title": ("Site", "机房概况"),
    "status.collectors": (
        "collectors {on_time} on time, {stale} stale, {failing} failing",
        "采集 {on_time} 正常，{stale} 过期，{failing} 失败",
    ),
    "status.collectors.short": ("collectors {stale} stale, {failing} failing", "采集 {stale} 过期，{failing} 失败"),
    "status.owner": ("owner", "主控"),
    "status.viewer": ("attached viewer", "附加查看"),
    "status.role.operator": ("operator", "操作员"),
    "status.role.viewer": ("viewer", "只读"),
    "status.unhandled": ("{count} critical not acknowledged", "{count} 条严重告警未确认"),
    "status.source_failed": ("state unavailable: {reason}", "状态不可用：{reason}"),
    "status.ready": ("READY for {opens}", "已就绪，{opens} 开市"),
    "status.ready.now": ("READY", "已就绪"),
    "status.not_ready": ("NOT READY: {reasons}, due {due}", "未就绪：{reasons}，{due} 前完成"),
    "status.not_ready.missed": ("NOT READY: {duty} missed (due {due})", "未就绪：{duty} 已超时（{due} 截止）"),
    "status.checks_failing.one": ("1 automated check failing", "1 项自动检查未通过"),
    "status.checks_failing": ("{count} automated checks failing", "{count} 项自动检查未通过"),
    "status.steps_open.one": ("1 step open", "1 步未完成"),
    "status.steps_open": ("{count} steps open", "{count} 步未完成"),
    "poller.down": (
        "POLLER DOWN since {since}: nothing is being watched (values are stale)",
        "采集服务停止（自 {since} 起）：当前没有任何监控（数值已过期）",
    ),
    "poller.down.never": (
        "POLLER DOWN: nothing is being watched (no poller has run here yet)",
        "采集服务停止：当前没有任何监控（此处尚无采集服务运行过）",
    ),
    "site.lost": ("SITE {site} UNREACHABLE since {since}", "站点 {site} 无法连接（自 {since} 起）"),
    "site.poller_down": ("SITE {site} POLLER DOWN since {since}", "站点 {site} 采集服务停止（自 {since} 起）"),
    "site.hidden": (": its alerts are not shown", "：其告警未显示"),
    "site.only": ("showing site {site} only (] next)", "仅显示站点 {site}（] 下一个）"),
    "site.all": ("showing every site", "显示全部站点"),
    "site.sending": ("Sending {action} to {site}…", "正在向 {site} 发送{action}…"),
    "site.not_recorded": (
        "{site}: {action} NOT recorded (refused): {reason}",
        "{site}：{action}未记录（被拒绝）：{reason}",
    ),
    "site.not_confirmed": (
        "{site}: {action} NOT confirmed, the site did not answer ({reason}); once it is back, its timeline says "
        "whether it was recorded",
        "{site}：{action}未确认，站点无应答（{reason}）；站点恢复后请在其时间线中核实是否已记录",
    ),
    "site.your_text": ("; your text: {text}", "；您填写的内容：{text}"),
    "site.count": ("{count} sites", "{count} 个站点"),
    "site.strip.ok": ("OK", "正常"),
    "site.strip.degraded": ("DEGRADED", "部分异常"),
    "site.strip.lost": ("UNREACHABLE since {since}", "无法连接（自 {since} 起）"),
    "site.strip.poller_down": ("POLLER DOWN since {since}", "采集服务停止（自 {since} 起）"),
    "site.strip.connecting": ("CONNECTING", "连接中"),
    "site.strip.on_time": ("{on_time}/{targets} ok", "{on_time}/{targets} 正常"),
    "site.strip.stale": ("{count} stale", "{count} 过期"),
    "site.strip.failing": ("{count} failing", "{count} 失败"),
    "site.strip.poller_alive": ("poller up", "采集运行"),
    "site.strip.sending": ("sending {count}", "发送中 {count}"),
    "site.strip.not_shown": ("not shown", "未显示"),
    "site.playbook.from": ("{site}: ", "{site}："),
    "site.playbook.reading": ("Reading playbook '{id}' from site {site}…", "正在从站点 {site} 读取预案“{id}”…"),
    "site.playbook.unavailable": (
        "Playbook '{id}' not available from site {site}: {why}",
        "站点 {site} 无法提供预案“{id}”：{why}",
    ),
    "site.unreachable": ("SITE {site} unreachable", "站点 {site} 无法连接"),
    "site.reading": ("reading…", "读取中…"),
    "hint.back": ("esc back  ? help", "esc 返回  ? 帮助"),
    "hint.timeline": (
        "esc back  enter open  / filter  1 2 3 kinds  ? help",
        "esc 返回  回车 展开  / 筛选  1 2 3 类型  ? 帮助",
    ),
    "quit.how": (
        "Ctrl+C does not quit dutyroom: press q (or Ctrl+Q), then y.",
        "Ctrl+C 不会退出 dutyroom：请按 q（或 Ctrl+Q），再按 y。",
    ),
    "confirm.drill": (
        "Start a drill of the {playbook} playbook on {target}? A drill run is recorded in the audit log.",
        "对 {target} 启动“{playbook}”预案演练？演练执行会记入审计日志。",
    ),
    "viewer.may_not": (
        "You are a viewer: {action} needs the operator role (roles in checks.toml). Esc closes.",
        "您是只读查看者：{action}需要操作员角色（见 checks.toml 的 roles）。按 Esc 关闭。",
    ),
    "help.screen.main": ("Keys: alert list and playbook", "按键：告警列表与预案"),
    "help.screen.timeline": ("Keys: timeline", "按键：时间线"),
    "help.screen.detail": ("Keys: target detail", "按键：对象详情"),
    "help.legend": ("What the marks and symbols mean", "标记与符号的含义"),
    "legend.state.critical": ("a critical threshold is crossed", "超过严重阈值"),
    "legend.state.unreachable": ("the target did not answer (timeout, refused)", "对象无应答（超时、拒绝）"),
    "legend.state.warning": ("a warning threshold is crossed", "超过警告阈值"),
    "legend.state.unknown": ("an answer came but could not be read", "有应答但无法解析"),
    "legend.state.stale": ("no fresh data: the last value, with its age", "没有新数据：显示上次的值及其时长"),
    "legend.state.ok": ("within thresholds", "在阈值之内"),
    "legend.eye": ("critical and nobody has acknowledged it", "严重且尚无人确认"),
    "legend.ack": (
        "acknowledged by who (STICKY-ACK: kept if it gets worse)",
        "已由该人确认（STICKY-ACK：级别升高仍保留）",
    ),
    "legend.sil": ("silenced: no bell, no notification", "已静默：不响铃、不通知"),
    "legend.supp": ("suppressed: the target it depends on is down", "已抑制：其依赖的对象已故障"),
    "legend.flap": ("flapping: changing state too often, notifications held", "抖动：状态变化过频，暂停通知"),
    "legend.esc": ("escalated: unhandled past its deadline", "已升级：超时未处理"),
    "legend.drill": ("a drill, not a real incident", "演练，非真实事件"),
    "legend.capped": ("severity lowered by the trading-session rule", "按交易时段规则降低了级别"),
    "legend.lowered": ("after a severity: lowered on purpose (see CAP)", "级别后：有意降低（见“降级”标记）"),
    "legend.phase": ("not firing yet (pending) or over (resolved)", "尚未触发（待定）或已结束（已恢复）"),
    "legend.step.open": ("playbook step not done", "预案步骤未完成"),
    "legend.step.done": ("step done", "步骤已完成"),
    "legend.step.awaiting": ("ticked; awaiting a second operator (c confirms)", "已勾选，等待第二人复核（按 c）"),
    "legend.step.skipped": ("step skipped, with a reason", "步骤已跳过（附原因）"),
    "legend.two_person": ("two-person step: a second operator confirms it", "双人步骤：须第二人复核"),
    "legend.ellipsis": ("text cut to fit: Enter shows it whole", "文字因宽度截断：回车查看全文"),
    "legend.timeline.event": ("event: trap, agent restart, reload", "事件：陷阱、代理重启、重载"),
    "legend.timeline.transition": ("an alert changed phase (pending -> firing)", "告警阶段变化（待定 -> 告警中）"),
    "legend.timeline.action": ("an operator acted: ack, note, tick, silence", "操作员操作：确认、备注、勾选、静默"),
    "legend.sparkline": ("last hour, lowest to highest", "最近一小时，由低到高"),
    "too_small": (
        "Terminal too small: {width}x{height}. dutyroom needs at least 80x24.",
        "终端太小：{width}x{height}。dutyroom 至少需要 80x24。",
    ),
    # Dialogs
    "dialog.ack.title": ("Acknowledge", "确认告警"),
    "dialog.silence.title": ("Silence", "静默"),
    "dialog.note.title": ("Note", "备注"),
    "dialog.comment": ("Comment (required)", "说明（必填）"),
    "dialog.expiry": ("Expires after (optional, e.g. 2h)", "有效期（可选，如 2h）"),
    "dialog.sticky": (
        "Sticky: keep the ack if the severity rises (space toggles)",
        "持续确认：级别升高时仍保留（空格切换）",
    ),
    "dialog.duration": ("Duration (e.g. 1h, 30m)", "时长（如 1h、30m）"),
    "dialog.rule": ("Rule (empty = any)", "规则（空 = 任意）"),
    "dialog.target": ("Target (empty = any)", "对象（空 = 任意）"),
    "dialog.group": ("Group (empty = any)", "分组（空 = 任意）"),
    "dialog.note_text": ("Note text (required)", "备注内容（必填）"),
    "dialog.submit": ("Submit", "提交"),
    "dialog.cancel": ("Cancel", "取消"),
    "dialog.keys": ("Enter submits, Esc cancels (nothing is recorded)", "回车提交，Esc 取消（不记录任何内容）"),
    "dialog.comment_required": ("A comment is required: say why.", "必须填写说明。"),
    "dialog.text_required": ("The note needs text.", "备注内容不能为空。"),
    "dialog.bad_duration": ("Not a duration: {text} (use e.g. 30m, 2h)", "时长无效：{text}（例如 30m、2h）"),
    "dialog.matcher_required": ("Give at least one of rule, target or group.", "规则、对象、分组至少填写一项。"),
    "confirm.yes": ("Yes", "是"),
    "confirm.no": ("No", "否"),
    "confirm.keys": ("y yes, n or Esc no", "y 是，n 或 Esc 否"),
    "confirm.quit": ("Quit dutyroom?", "退出 dutyroom？"),
    "confirm.undo": ("Take back step {step} of {title}: {text}?", "撤销“{title}”第 {step} 步：{text}？"),
    "confirm.close": (
        "Close the {title} run started {at}? {open} of {steps} steps are not done; a closed run takes no more ticks.",
        "结束 {at} 启动的“{title}”预案执行？{steps} 步中还有 {open} 步未完成；结束后不能再勾选。",
    ),
    "dialog.skip.title": ("Skip step {step}", "跳过第 {step} 步"),
    "dialog.reason": ("Reason (required)", "原因（必填）"),
    "dialog.reason_required": ("A reason is required: say why the step is skipped.", "必须填写跳过的原因。"),
    "dialog.run_note.title": ("Run note", "执行备注"),
    "dialog.close.title": ("Close the run", "结束预案执行"),
    # Outcomes
    "done.ack": ("Acknowledged {target}.", "已确认 {target}。"),
    "done.silence": ("Silence recorded until {until}.", "静默已记录，至 {until}。"),
    "done.note": ("Note recorded.", "备注已记录。"),
    "done.step": ("Step {step} ticked on run {run}.", "执行 {run} 第 {step} 步已勾选。"),
    "done.step-confirm": ("Step {step} confirmed on run {run}.", "执行 {run} 第 {step} 步已复核。"),
    "done.step-undo": ("Step {step} taken back on run {run}.", "执行 {run} 第 {step} 步已撤销。"),
    "done.step-skip": ("Step {step} skipped on run {run}.", "执行 {run} 第 {step} 步已跳过。"),
    "done.step-note": ("Run note recorded on {run}.", "执行 {run} 的备注已记录。"),
    "done.run-close": ("Run {run} closed.", "执行 {run} 已结束。"),
    "done.drill": ("Drill recorded.", "演练已记录。"),
    "refused.title": ("Not recorded", "未记录"),
    "failed.reason": ("could not record the action: {reason}", "无法记录操作：{reason}"),
    "need.alert": ("Select an alert first.", "请先选择一条告警。"),
    "need.step": ("Select a playbook step first.", "请先选择一个预案步骤。"),
    "need.run": ("This alert has no open playbook run.", "此告警没有进行中的预案。"),
    "need.open_run": ("Run {run} is closed: nothing more is recorded on it.", "执行 {run} 已结束，不能再记录。"),
    "step.already": ("Step {step} is already {status}; u takes it back.", "第 {step} 步已是{status}；按 u 撤销。"),
    "step.not_awaiting": ("Step {step} is not awaiting a second operator.", "第 {step} 步不需要复核。"),
    "step.nothing": ("Step {step} has nothing to take back.", "第 {step} 步没有可撤销的内容。"),
    "step.status.done": ("done", "已完成"),
    "step.status.skipped": ("skipped", "已跳过"),
    "step.status.awaiting-confirmation": ("awaiting confirmation", "待复核"),
    "step.status.open": ("open", "未完成"),
    "handover.unavailable": (
        "Handover is not wired here; run `dutyroom handover`.",
        "此处无法交班；请运行 `dutyroom handover`。",
    ),
    "handover.failed": ("handover failed: {reason}", "交班失败：{reason}"),
    # Detail and timeline
    "detail.title": ("Target {name}", "对象 {name}"),
    "detail.gone": ("This target is no longer known.", "该对象已不存在。"),
    "detail.no_values": ("No values yet.", "尚无数值。"),
    "detail.last_error": ("Last error: {error}", "最近错误：{error}"),
    "detail.no_error": ("Last error: none", "最近错误：无"),
    "detail.alert": ("{rule}: {state}, severity {severity}", "{rule}：{state}，级别 {severity}"),
    "detail.alert_resolved": (
        "{rule}: {state}, resolved (was {severity})",
        "{rule}：{state}，已恢复（原为{severity}）",
    ),
    "detail.ack": ("acknowledged by {who} at {at}", "{who} 于 {at} 确认"),
    "detail.ack_sticky": (
        "acknowledged by {who} at {at}, sticky (kept if the severity rises)",
        "{who} 于 {at} 持续确认（级别升高时保留）",
    ),
    "col.metric": ("Metric", "指标"),
    "col.labels": ("Labels", "标签"),
    "col.age": ("Age", "时长"),
    "col.history": ("Last hour", "最近一小时"),
    "timeline.title": ("Timeline (last 24h, newest first)", "时间线（最近 24 小时，最新在前）"),
    "timeline.kinds": (
        "kinds: {kinds}   1 events  2 transitions  3 actions",
        "类型：{kinds}   1 事件  2 状态变化  3 操作",
    ),
    "timeline.placeholder": ("filter text", "筛选文字"),
    "timeline.event": ("event", "事件"),
    "timeline.transition": ("transition", "状态变化"),
    "timeline.action": ("action", "操作"),
    "col.time": ("Time", "时间"),
    "col.kind": ("Kind", "类型"),
    "col.who": ("Who", "操作人"),
    "col.text": ("What", "内容"),
    "timeline.then": (": ", "："),
    "timeline.step": ("step {step}", "第 {step} 步"),
    "timeline.about": ("{text} ({rule})", "{text}（{rule}）"),
    "timeline.change": ("Change", "变化"),
    "timeline.action_kind": ("Action", "操作"),
    "timeline.step_label": ("Step", "步骤"),
    "timeline.event_label": ("Event", "事件"),
    "timeline.entry_title": ("Timeline entry at {at}", "时间线条目（{at}）"),
    "timeline.entry_close": ("Esc, q or Enter closes", "Esc、q 或回车关闭"),
    "phase.inactive": ("inactive", "未激活"),
    "phase.firing": ("firing", "告警中"),
    "timeline.did.ack": ("acknowledged", "确认告警"),
    "timeline.did.unack": ("ack taken back", "取消确认"),
    "timeline.did.silence": ("silenced", "静默"),
    "timeline.did.unsilence": ("silence lifted", "解除静默"),
    "timeline.did.lapse": ("lapsed", "已失效"),
    "timeline.did.note": ("note", "备注"),
    "timeline.did.drill": ("drill", "演练"),
    "timeline.did.handover-sign": ("handover signed", "交班签字"),
    "timeline.did.handover-note": ("handover note", "交班备注"),
    "timeline.did.run-start": ("playbook run started", "启动预案执行"),
    "timeline.did.run-join": ("joined a playbook run", "并入预案执行"),
    "timeline.did.run-close": ("playbook run closed", "结束预案执行"),
    "timeline.did.step-note": ("run note", "执行备注"),
    "timeline.did.step": ("ticked", "勾选步骤"),
    "timeline.did.step-confirm": ("confirmed", "复核步骤"),
    "timeline.did.step-undo": ("taken back", "撤销步骤"),
    "timeline.did.step-skip": ("skipped", "跳过步骤"),
    "timeline.event_kind.trap": ("trap", "陷阱"),
    "timeline.event_kind.agent-restarted": ("agent restarted", "代理重启"),
    "timeline.event_kind.flapping": ("flapping", "抖动"),
    "timeline.event_kind.watch-resumed": ("watch resumed", "恢复监控"),
    "timeline.event_kind.reload": ("config reload", "配置重载"),
    "timeline.event_kind.setup": ("setup", "初始化"),
    "timeline.event_kind.store": ("store", "存储"),
    # Command palette: title, then help
    "palette.placeholder": ("Search commands…", "搜索命令…"),
    "cmd.timeline": ("Timeline", "时间线"),
    "cmd.timeline.help": ("Events, transitions and operator actions, newest first", "事件、状态变化与操作，最新在前"),
    "cmd.handover": ("Handover", "交班"),
    "cmd.handover.help": ("Write the shift handover", "生成交班记录"),
    "cmd.help": ("Help", "帮助"),
    "cmd.help.help": ("Every key", "全部按键"),
    "cmd.quit": ("Quit", "退出"),
    "cmd.quit.help": ("Quit dutyroom (asks first)", "退出 dutyroom（先询问）"),
    "cmd.ack": ("Acknowledge", "确认告警"),
    "cmd.ack.help": ("Acknowledge the selected alert with a comment", "填写说明并确认所选告警"),
    "cmd.silence": ("Silence", "静默"),
    "cmd.silence.help": ("Silence by rule, target or group for a while", "按规则、对象或分组静默一段时间"),
    "cmd.note": ("Note", "备注"),
    "cmd.note.help": ("Add a note to the selected alert", "为所选告警添加备注"),
    "cmd.detail": ("Detail", "详情"),
    "cmd.detail.help": ("Metrics, history and last error of the selected target", "所选对象的指标、历史与最近错误"),
    "cmd.filter": ("Filter", "筛选"),
    "cmd.filter.help": ("Filter the alert list", "筛选告警列表"),
    "cmd.tick": ("Tick step", "勾选步骤"),
    "cmd.tick.help": ("Tick the highlighted playbook step", "勾选当前预案步骤"),
    "cmd.confirm": ("Confirm step", "复核步骤"),
    "cmd.confirm.help": ("Confirm a two-person step as the second operator", "作为第二人复核双人步骤"),
    "cmd.undo": ("Undo step", "撤销步骤"),
    "cmd.undo.help": ("Take back the highlighted step (asks first)", "撤销当前步骤（先询问）"),
    "cmd.skip": ("Skip step", "跳过步骤"),
    "cmd.skip.help": ("Skip the highlighted step, with a reason", "填写原因并跳过当前步骤"),
    "cmd.run_note": ("Run note", "执行备注"),
    "cmd.run_note.help": ("Add a note to the playbook run", "为本次预案执行添加备注"),
    "cmd.close_run": ("Close run", "结束执行"),
    "cmd.close_run.help": (
        "Close the playbook run (asks first, then a comment)",
        "结束本次预案执行（先询问，再填写说明）",
    ),
    "cmd.drill": ("Drill", "演练"),
    "cmd.drill.help": ("Record a drill of the selected alert's playbook", "记录所选告警预案的一次演练"),
    "help.title": ("Keys", "按键"),
    "help.close": ("Esc or ? closes this help; up/down or j/k scroll", "Esc 或 ? 关闭帮助；上下键或 j/k 滚动"),
    "help.site_keys": ("Sites (the console on several sites)", "站点（多站点控制台）"),
    "legend.site.ok": ("a site answers, its collectors on time, its poller up", "站点有应答，采集正常，采集服务运行"),
    "legend.site.degraded": ("a site answers; some collectors stale or failing", "站点有应答，部分采集过期或失败"),
    "legend.site.lost": ("a site does not answer: its alerts are not shown", "站点无应答：其告警不显示"),
    "legend.site.poller_down": ("a site answers but nothing polls there", "站点有应答，但其采集服务停止"),
    "legend.site.connecting": ("a site not read yet", "站点尚未读取"),
    "legend.site.sending": ("actions on their way to a site, not yet confirmed", "正在发往站点、尚未确认的操作"),
    "help.run_keys": ("The playbook run the pane shows (tab moves to its steps)", "预案栏所示的执行（tab 切换到步骤）"),
}

KEY_HELP: tuple[tuple[str, str, str], ...] = (
    ("up/down j/k", "Move in the focused list (its title is highlighted)", "在当前列表中移动（其标题高亮）"),
    ("tab", "Move between the alert list and the playbook", "在告警列表与预案之间切换"),
    ("/", "Filter alerts (Enter keeps, Esc clears)", "筛选告警（回车保留，Esc 清除）"),
    (":", "Command palette", "命令面板"),
    ("?", "This help", "本帮助"),
    ("a", "Acknowledge the selected alert (comment required)", "确认所选告警（必须填写说明）"),
    ("s", "Silence by rule/target/group (comment required)", "按规则/对象/分组静默（必须填写说明）"),
    ("n", "Add a note to the selected alert", "为所选告警添加备注"),
    ("enter", "Target detail: metrics, history, last error", "对象详情：指标、历史、最近错误"),
    ("t", "Timeline of events, transitions and actions", "事件、状态变化与操作时间线"),
    ("p", "The whole playbook: contacts, introduction, appendices", "完整预案：联系人、简介、附录"),
    ("h", "Write the shift handover", "生成交班记录"),
    ("q", "Quit (asks first; default No)", "退出（先询问，默认否）"),
    (
        "esc",
        "Back from a screen (q too), cancel a dialog; never confirms anything",
        "返回上一页（q 亦可）或取消对话框；从不确认任何操作",
    ),
)

SITE_KEY_HELP: tuple[tuple[str, str, str], ...] = (
    ("]", "Show the next site alone; after the last, every site again", "单独显示下一个站点；最后一个之后恢复全部站点"),
    (": site NAME", "Show site NAME alone (: site all: every site)", "单独显示站点 NAME（: site all 显示全部）"),
)
"""Keys of the console on several sites (its help lists them after the main screen's)."""

RUN_KEY_HELP: tuple[tuple[str, str, str], ...] = (
    ("space", "Tick the highlighted playbook step", "勾选当前预案步骤"),
    ("c", "Confirm a two-person step (second operator)", "复核双人步骤（第二人）"),
    ("u", "Take back the highlighted step (asks first)", "撤销当前步骤（先询问）"),
    ("-", "Skip the highlighted step (a reason is required)", "跳过当前步骤（必须填写原因）"),
    ("r", "Add a note to the run (e.g. runtime every 5 minutes)", "为本次执行添加备注（如每 5 分钟记录后备时间）"),
    ("x", "Close the run (asks first, then a comment)", "结束本次执行（先询问，再填写说明）"),
)
"""Keys for the run the playbook pane shows; its hint line lists them too (`playbook.keys`)."""

_LANGUAGE_INDEX: dict[str, int] = {"en": 0, "zh": 1}

TIMELINE_KEY_HELP: tuple[tuple[str, str, str], ...] = (
    ("up/down j/k", "Move in the list", "在列表中移动"),
    ("enter", "Open the line in full (long comments are cut in the list)", "展开整行（列表中长备注会被截断）"),
    ("/", "Filter by text: target, rule, who, what (Enter keeps)", "按文字筛选：对象、规则、操作人、内容（回车保留）"),
    ("1 2 3", "Show or hide events, transitions, operator actions", "显示或隐藏事件、状态变化、操作"),
    ("?", "This help", "本帮助"),
    ("esc q", "Back to the alerts", "返回告警列表"),
)

DETAIL_KEY_HELP: tuple[tuple[str, str, str], ...] = (
    ("up/down j/k", "Move in the metrics", "在指标中移动"),
    ("?", "This help", "本帮助"),
    ("esc q", "Back to the alerts", "返回告警列表"),
)

HINT_KEYS: tuple[tuple[str, str, str, str, bool, bool], ...] = (
    ("?", "?", "help", "帮助", False, True),
    ("/", "/", "filter", "筛选", False, True),
    (":", ":", "cmds", "命令", False, True),
    ("a", "a", "ack", "确认", True, True),
    ("s", "s", "silence", "静默", True, True),
    ("n", "n", "note", "备注", True, False),
    ("space", "空格", "tick", "勾选", True, True),
    ("c", "c", "confirm", "复核", True, True),
    ("enter", "回车", "detail", "详情", False, False),
    ("t", "t", "timeline", "时间线", False, False),
    ("h", "h", "handover", "交班", False, True),
    ("q", "q", "quit", "退出", False, False),
)
"""The main screen's hint line: key (en, zh), word (en, zh), whether it records an operator action (greyed for a
viewer), and whether it is in the 80-column line (which must show `/`, `:`, `c` and `h`; `?` lists the rest)."""


def hint_items(language: Language, *, short: bool) -> list[tuple[str, str, bool]]:
    """(key, word, operator-only) of the hint line in `language`, the 80-column selection when `short`."""
    index = _LANGUAGE_INDEX[language]
    return [
        ((key_en, key_zh)[index], (word_en, word_zh)[index], operator_only)
        for key_en, key_zh, word_en, word_zh, operator_only, in_short in HINT_KEYS
        if in_short or not short
    ]


def _hint_line(language: Language, *, short: bool) -> str:
    return "  ".join(f"{key} {word}" for key, word, _ in hint_items(language, short=short))


_STRINGS["hint.main"] = (_hint_line("en", short=False), _hint_line("zh", short=False))
_STRINGS["hint.short"] = (_hint_line("en", short=True), _hint_line("zh", short=True))


@dataclass(frozen=True, slots=True)
class Translator:
    """Interface strings in one language."""

    language: Language = "en"

    def __call__(self, key: str, **values: object) -> str:
        pair = _STRINGS.get(key)
        if pair is None:
            return key
        template = pair[_LANGUAGE_INDEX[self.language]] or pair[0]
        return template.format(**values) if values else template

    def has(self, key: str) -> bool:
        return key in _STRINGS

    def word(self, family: str, value: str) -> str:
        """The word for `value` in a family (`severity`, `phase`, ...), or `value` itself when there is none."""
        key = f"{family}.{value}"
        return self(key) if key in _STRINGS else value

    def state_word(self, state: State) -> str:
        return self(f"state.{state.value}")

    def key_help(self, table: tuple[tuple[str, str, str], ...] = KEY_HELP) -> list[tuple[str, str]]:
        index = _LANGUAGE_INDEX[self.language]
        return [(key, texts[index]) for key, *texts in table]


def language_of(text: str) -> Language:
    """The supported language named by `text` (`zh`, `zh_CN.UTF-8`, ...); English otherwise."""
    return "zh" if text.lower().startswith("zh") else "en"
