<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccessWindow</name>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
</context>
<context>
    <name>AgreementDialog</name>
    <message>
        <source>Repayment agreement</source>
        <translation>还款协议</translation>
    </message>
    <message>
        <source>Making the agreement…</source>
        <translation>正在生成协议…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Print a copy (Ctrl+P)</source>
        <translation>打印一份副本（Ctrl+P）</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>A copy of the signed agreement, with the same seal and verification code.</source>
        <translation>已签协议的副本，封存摘要和核验码与原件相同。</translation>
    </message>
    <message>
        <source>The agreement cannot be shown: %1</source>
        <translation>无法显示协议：%1</translation>
    </message>
</context>
<context>
    <name>AnswerArea</name>
    <message>
        <source>Not possible at this point of the visit</source>
        <translation>外访进行到这一步时不可选择</translation>
    </message>
    <message>
        <source>Type what the person said</source>
        <translation>记录对方所说的内容</translation>
    </message>
    <message>
        <source>Amount in digits, e.g. 3000 or 3,000.50</source>
        <translation>金额（数字），如 3000 或 3,000.50</translation>
    </message>
    <message>
        <source>Choose the file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Attached: {sha}…</source>
        <translation>已添加：{sha}…</translation>
    </message>
    <message>
        <source>Open the repayment plan…</source>
        <translation>打开还款计划…</translation>
    </message>
    <message>
        <source>Plan {id} sealed.</source>
        <translation>还款计划 {id} 已签署封存。</translation>
    </message>
    <message>
        <source>No plan sealed yet.</source>
        <translation>尚未签署还款计划。</translation>
    </message>
    <message>
        <source>Set this date</source>
        <translation>设定日期</translation>
    </message>
    <message>
        <source>Enter a whole number.</source>
        <translation>请输入整数。</translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <source>This laptop was revoked</source>
        <translation>此电脑已被停用</translation>
    </message>
    <message>
        <source>IT revoked this laptop&apos;s access to FieldApp, so its local data has been wiped. If this is a mistake, ask IT for a new enrollment code.</source>
        <translation>IT 部门已停用此电脑对 FieldApp 的访问，本机数据已被清除。如有误，请向 IT 部门申请新的注册码。</translation>
    </message>
</context>
<context>
    <name>CaseDetailPane</name>
    <message>
        <source>Select a case to see its details.</source>
        <translation>选择一个案件以查看详情。</translation>
    </message>
    <message>
        <source>Total due</source>
        <translation>应还总额</translation>
    </message>
    <message>
        <source>Days past due</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <source>Log contact attempt…</source>
        <translation>记录联系…</translation>
    </message>
    <message>
        <source>Record a call or message to this debtor (Ctrl+L)</source>
        <translation>记录与该债务人的一次通话或消息（Ctrl+L）</translation>
    </message>
    <message>
        <source>Start visit</source>
        <translation>开始外访</translation>
    </message>
    <message>
        <source>Check the rules and start the guided visit (Ctrl+Shift+V)</source>
        <translation>检查合规规则并开始引导式外访（Ctrl+Shift+V）</translation>
    </message>
    <message>
        <source>Notice letter…</source>
        <translation>通告函…</translation>
    </message>
    <message>
        <source>Preview, print or save the notice letter (Ctrl+Shift+N)</source>
        <translation>预览、打印或保存通告函（Ctrl+Shift+N）</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>预约</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Creditor</source>
        <translation>债权方</translation>
    </message>
    <message>
        <source>Overdue since</source>
        <translation>逾期起始日</translation>
    </message>
    <message>
        <source>Last payment</source>
        <translation>最近还款</translation>
    </message>
    <message>
        <source>Risk grade</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <source>Contact history</source>
        <translation>联系记录</translation>
    </message>
    <message>
        <source>Visits so far</source>
        <translation>外访记录</translation>
    </message>
    <message>
        <source>Phone call</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>短信</translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>信函</translation>
    </message>
    <message>
        <source>Principal {principal} · fees and interest {fees}</source>
        <translation>本金 {principal} · 费用及利息 {fees}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>none on record</source>
        <translation>无记录</translation>
    </message>
    <message>
        <source>No contact attempts yet.</source>
        <translation>尚无联系记录。</translation>
    </message>
    <message>
        <source>flagged for the team lead</source>
        <translation>已标记，提交组长复核</translation>
    </message>
    <message>
        <source>waiting to sync</source>
        <translation>等待同步</translation>
    </message>
    <message>
        <source>visit {time}</source>
        <translation>上门 {time}</translation>
    </message>
    <message>
        <source>No visits yet.</source>
        <translation>尚无外访记录。</translation>
    </message>
    <message>
        <source>not finished</source>
        <translation>未完成</translation>
    </message>
</context>
<context>
    <name>CaseListModel</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Total due</source>
        <translation>应还总额</translation>
    </message>
    <message>
        <source>DPD</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>预约</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>跟进</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>最近联系</translation>
    </message>
    <message>
        <source>Broken plans or promises, overdue instalments, plans the lead rejected, and follow-ups or promised payments due today or earlier (the debtor&apos;s day)</source>
        <translation>违约的还款计划或承诺、逾期未付的分期、组长驳回的计划，以及今天或之前到期的跟进和承诺还款（按债务人当地日期）</translation>
    </message>
    <message>
        <source>Days past due</source>
        <translation>逾期天数</translation>
    </message>
</context>
<context>
    <name>CaseState</name>
    <message>
        <source>Contacted</source>
        <translation>已联系</translation>
    </message>
    <message>
        <source>New</source>
        <translation>未联系</translation>
    </message>
    <message>
        <source>Visited</source>
        <translation>已上门</translation>
    </message>
    <message>
        <source>Visit booked</source>
        <translation>已预约</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <source>Has flags</source>
        <translation>有特殊标记</translation>
    </message>
    <message>
        <source>Broken plans</source>
        <translation>计划违约</translation>
    </message>
    <message>
        <source>Needs follow-up</source>
        <translation>待跟进</translation>
    </message>
</context>
<context>
    <name>CasesPage</name>
    <message>
        <source>Cases</source>
        <extracomment>Injected trusted clock (tests); None reads the store&apos;s at each check.</extracomment>
        <translation>案件</translation>
    </message>
    <message>
        <source>Search name, account, phone or address (Ctrl+F)</source>
        <translation>搜索姓名、账户、电话或地址（Ctrl+F）</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>“Broken plans”: a broken plan or promise, an overdue instalment or a plan your lead rejected. “Needs follow-up”: a follow-up or promised payment due today or earlier, in the debtor&apos;s time.</source>
        <translation>“计划违约”：还款计划或承诺已违约、有分期逾期未付，或计划被组长驳回。“待跟进”：跟进或承诺还款在今天或之前到期（按债务人当地时间）。</translation>
    </message>
    <message>
        <source>Any DPD</source>
        <translation>全部逾期天数</translation>
    </message>
    <message>
        <source>DPD {band}</source>
        <translation>逾期 {band} 天</translation>
    </message>
    <message>
        <source>Appointment today</source>
        <translation>今日预约</translation>
    </message>
    <message>
        <source>All cities</source>
        <translation>全部城市</translation>
    </message>
    <message>
        <source>All districts</source>
        <translation>全部区县</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>No case matches the search and filters.</source>
        <translation>没有符合搜索和筛选条件的案件。</translation>
    </message>
    <message>
        <source>Loading all cases…</source>
        <translation>正在载入全部案件…</translation>
    </message>
    <message>
        <source>{n} cases</source>
        <translation>{n} 个案件</translation>
    </message>
    <message>
        <source>1 case</source>
        <translation>1 个案件</translation>
    </message>
    <message>
        <source>This case is no longer on this laptop: the server reassigned or closed it. Anything you logged for it is kept and will still be sent.</source>
        <translation>此案件已不在本机：服务器已将其转派或结案。您为它记录的内容会保留，并照常上传。</translation>
    </message>
    <message>
        <source>Do not call now ({rule}): {reason} A call logged anyway is flagged for your team lead.</source>
        <translation>现在不得拨打（{rule}）：{reason} 如仍登记通话，记录将标记并提交组长复核。</translation>
    </message>
    <message>
        <source>A call now needs a reason ({rule}): {reason} Write it in the note; the call is flagged for your team lead.</source>
        <translation>现在拨打需要写明理由（{rule}）：{reason} 请在备注中写明；该通话将标记并提交组长复核。</translation>
    </message>
</context>
<context>
    <name>ContactAttemptDialog</name>
    <message>
        <source>Log contact attempt</source>
        <translation>记录联系</translation>
    </message>
    <message>
        <source>Contact attempt with {name}</source>
        <translation>与 {name} 的联系</translation>
    </message>
    <message>
        <source>Phone call</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>短信</translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>信函</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>debtor&apos;s local time, {zone}</source>
        <translation>债务人当地时间，{zone}</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Spoke with the debtor</source>
        <translation>已与债务人通话</translation>
    </message>
    <message>
        <source>Appointment agreed</source>
        <translation>已约定上门时间</translation>
    </message>
    <message>
        <source>No answer</source>
        <translation>无人接听</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>占线</translation>
    </message>
    <message>
        <source>Message sent</source>
        <translation>消息已发送</translation>
    </message>
    <message>
        <source>Someone else answered (nothing said about the debt)</source>
        <translation>他人接听（未提及债务）</translation>
    </message>
    <message>
        <source>Refused to talk</source>
        <translation>拒绝沟通</translation>
    </message>
    <message>
        <source>Wrong number</source>
        <translation>号码错误</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Visit time agreed</source>
        <translation>已约定上门时间</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>预约</translation>
    </message>
    <message>
        <source>What was said, in a few words</source>
        <translation>简要记录沟通内容</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Why did this contact happen? Your team lead will review it</source>
        <translation>为什么会有这次联系？组长将复核</translation>
    </message>
    <message>
        <source>Times are the debtor&apos;s local time ({zone}).</source>
        <translation>时间为债务人当地时间（{zone}）。</translation>
    </message>
    <message>
        <source>Save to outbox</source>
        <translation>保存到待上传</translation>
    </message>
    <message>
        <source>This contact broke rule {rule}: {reason} It is logged as it happened and flagged for your team lead: write why it happened.</source>
        <translation>这次联系违反了规则 {rule}：{reason} 它将按实际情况登记并标记提交组长复核：请写明发生的原因。</translation>
    </message>
    <message>
        <source>The attempt cannot be in the future.</source>
        <translation>联系时间不能晚于现在。</translation>
    </message>
    <message>
        <source>Enter the visit time that was agreed.</source>
        <translation>请填写约定的上门时间。</translation>
    </message>
    <message>
        <source>The agreed visit time must be after the call.</source>
        <translation>约定的上门时间必须晚于本次联系。</translation>
    </message>
    <message>
        <source>The note is too long (2,000 characters at most).</source>
        <translation>备注过长（最多 2000 字）。</translation>
    </message>
    <message>
        <source>Write why this contact happened although it broke rule {rule}.</source>
        <translation>请写明这次联系为何在违反规则 {rule} 的情况下发生。</translation>
    </message>
    <message>
        <source>The explanation is too long (2,000 characters at most).</source>
        <translation>说明过长（最多 2000 字）。</translation>
    </message>
</context>
<context>
    <name>Dates</name>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Tomorrow</source>
        <translation>明天</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
</context>
<context>
    <name>EnrollmentWidget</name>
    <message>
        <source>Set up this laptop</source>
        <translation>设置此电脑</translation>
    </message>
    <message>
        <source>Enter the enrollment code IT gave you and your FieldApp account.</source>
        <translation>请输入 IT 部门提供的注册码以及您的 FieldApp 账号。</translation>
    </message>
    <message>
        <source>Set by your IT department</source>
        <translation>由 IT 部门设置</translation>
    </message>
    <message>
        <source>e.g. 7KQ4-M2XD</source>
        <translation>例如 7KQ4-M2XD</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Enrollment code</source>
        <translation>注册码</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Choose your unlock PIN</source>
        <translation>设置解锁密码</translation>
    </message>
    <message>
        <source>You will type it every time FieldApp starts or locks. At least {n} characters. It never leaves this laptop.</source>
        <translation>每次启动或锁定后都需要输入。至少 {n} 个字符。它只保存在这台电脑上。</translation>
    </message>
    <message>
        <source>PIN or password</source>
        <translation>PIN 码或密码</translation>
    </message>
    <message>
        <source>Once more</source>
        <translation>再输入一次</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Enroll this laptop</source>
        <translation>注册此电脑</translation>
    </message>
    <message>
        <source>Enter the server address, starting with https://</source>
        <translation>请输入以 https:// 开头的服务器地址</translation>
    </message>
    <message>
        <source>Fill in the enrollment code, your username and your password.</source>
        <translation>请填写注册码、用户名和密码。</translation>
    </message>
    <message>
        <source>The PIN must have at least {n} characters.</source>
        <translation>解锁密码至少需要 {n} 个字符。</translation>
    </message>
    <message>
        <source>The two entries differ. Type the same PIN twice.</source>
        <translation>两次输入不一致，请输入相同的密码。</translation>
    </message>
    <message>
        <source>Enrolling…</source>
        <translation>正在注册…</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Something went wrong</source>
        <translation>出现问题</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详情</translation>
    </message>
    <message>
        <source>Copy the technical details for support (they are also in the log)</source>
        <translation>复制技术详情以便发给技术支持（日志中也有记录）</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>Flags</name>
    <message>
        <source>Represented by an attorney</source>
        <translation>已委托律师</translation>
    </message>
    <message>
        <source>Asked to cease contact</source>
        <translation>要求停止联系</translation>
    </message>
    <message>
        <source>Dispute open</source>
        <translation>异议处理中</translation>
    </message>
    <message>
        <source>Vulnerable person</source>
        <translation>弱势人群</translation>
    </message>
    <message>
        <source>Bereavement</source>
        <translation>家有丧事</translation>
    </message>
</context>
<context>
    <name>FollowUp</name>
    <message>
        <source>Plan broken</source>
        <translation>计划违约</translation>
    </message>
    <message>
        <source>Plan rejected</source>
        <translation>计划被驳回</translation>
    </message>
    <message>
        <source>Missed payment</source>
        <translation>分期逾期</translation>
    </message>
    <message>
        <source>Promise broken</source>
        <translation>承诺未兑现</translation>
    </message>
    <message>
        <source>Promise due</source>
        <translation>承诺还款到期</translation>
    </message>
    <message>
        <source>Follow-up due</source>
        <translation>跟进到期</translation>
    </message>
    <message>
        <source>Promise {date}</source>
        <translation>承诺 {date}</translation>
    </message>
    <message>
        <source>Follow-up {date}</source>
        <translation>跟进 {date}</translation>
    </message>
    <message>
        <source>The repayment plan is broken: a payment is overdue.</source>
        <translation>还款计划已违约：有一期款项逾期未付。</translation>
    </message>
    <message>
        <source>Your team lead rejected the plan; agree a new one with the debtor.</source>
        <translation>组长驳回了该计划，请与债务人重新协商。</translation>
    </message>
    <message>
        <source>An instalment due on {date} is not paid.</source>
        <translation>{date} 到期的一期款项尚未支付。</translation>
    </message>
    <message>
        <source>The promise to pay by {date} was broken.</source>
        <translation>承诺于 {date} 前还款，未兑现。</translation>
    </message>
    <message>
        <source>The debtor promised to pay by {date}.</source>
        <translation>债务人承诺于 {date} 前还款。</translation>
    </message>
    <message>
        <source>A follow-up was scheduled for {date}.</source>
        <translation>已安排于 {date} 跟进。</translation>
    </message>
    <message>
        <source>A follow-up is scheduled for {date}.</source>
        <translation>已安排于 {date} 跟进。</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Spoke with the debtor</source>
        <translation>已与债务人通话</translation>
    </message>
    <message>
        <source>No answer</source>
        <translation>无人接听</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>占线</translation>
    </message>
    <message>
        <source>Wrong number</source>
        <translation>号码错误</translation>
    </message>
    <message>
        <source>Someone else answered</source>
        <translation>他人接听</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Message sent</source>
        <translation>消息已发送</translation>
    </message>
    <message>
        <source>Appointment agreed</source>
        <translation>已约定上门时间</translation>
    </message>
    <message>
        <source>Paid on the spot</source>
        <translation>现场已还款</translation>
    </message>
    <message>
        <source>Plan signed</source>
        <translation>已签署还款计划</translation>
    </message>
    <message>
        <source>Promise to pay</source>
        <translation>承诺还款</translation>
    </message>
    <message>
        <source>Disputes the debt</source>
        <translation>对债务有异议</translation>
    </message>
    <message>
        <source>Hardship or vulnerability reported</source>
        <translation>报告困难或特殊情况</translation>
    </message>
    <message>
        <source>Not at home</source>
        <translation>本人不在家</translation>
    </message>
    <message>
        <source>Moved</source>
        <translation>已搬离</translation>
    </message>
    <message>
        <source>Wrong address</source>
        <translation>地址有误</translation>
    </message>
    <message>
        <source>Deceased</source>
        <translation>已去世</translation>
    </message>
    <message>
        <source>Third party only</source>
        <translation>只见到第三人</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>handed to the verified debtor</source>
        <translation>已交给核实身份的债务人本人</translation>
    </message>
    <message>
        <source>sealed envelope to an adult household member</source>
        <translation>密封信封交给成年家庭成员</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>拒收</translation>
    </message>
    <message>
        <source>not delivered</source>
        <translation>未交付</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>FieldApp — {name}</source>
        <extracomment>A TrustedClock to use for rule checks and records (tests inject one); None: the store&apos;s.</extracomment>
        <translation>FieldApp — {name}</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>待上传</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Show the records the server refused, with its reasons</source>
        <translation>查看被服务器拒收的记录及原因</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Sync now (F5)</source>
        <translation>立即同步（F5）</translation>
    </message>
    <message>
        <source>&amp;FieldApp</source>
        <translation>程序(&amp;F)</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Lock FieldApp now; your PIN opens it again</source>
        <translation>立即锁定 FieldApp；输入解锁密码可重新打开</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;Case</source>
        <translation>案件(&amp;C)</translation>
    </message>
    <message>
        <source>Find case</source>
        <translation>查找案件</translation>
    </message>
    <message>
        <source>Log contact attempt…</source>
        <translation>记录联系…</translation>
    </message>
    <message>
        <source>Start visit</source>
        <translation>开始外访</translation>
    </message>
    <message>
        <source>Check the rules and start the guided visit</source>
        <translation>检查合规规则并开始引导式外访</translation>
    </message>
    <message>
        <source>Notice letter…</source>
        <translation>通告函…</translation>
    </message>
    <message>
        <source>Preview, print or save the notice letter</source>
        <translation>预览、打印或保存通告函</translation>
    </message>
    <message>
        <source>Print today&apos;s notices…</source>
        <translation>打印今日通告函…</translation>
    </message>
    <message>
        <source>All notice letters for today&apos;s route in one print job</source>
        <translation>今日路线的全部通告函，一次打印</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Select a case first.</source>
        <translation>请先选择一个案件。</translation>
    </message>
    <message>
        <source>{n} waiting to sync</source>
        <translation>{n} 条待同步</translation>
    </message>
    <message>
        <source>{n} refused</source>
        <translation>{n} 条被拒收</translation>
    </message>
    <message>
        <source>today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Last sync: {day} {time}</source>
        <translation>上次同步：{day} {time}</translation>
    </message>
    <message>
        <source>⚠ This laptop&apos;s clock is {n} min off the server&apos;s</source>
        <translation>⚠ 本机时钟与服务器相差 {n} 分钟</translation>
    </message>
    <message>
        <source>Contact-hour rules use the server&apos;s time. Set the laptop&apos;s date and time correctly (automatic time is best).</source>
        <translation>联系时段规则以服务器时间为准。请校准本机日期和时间（建议开启自动对时）。</translation>
    </message>
    <message>
        <source>● Online</source>
        <translation>● 在线</translation>
    </message>
    <message>
        <source>Connected to the server; records are sent automatically</source>
        <translation>已连接服务器；记录会自动上传</translation>
    </message>
    <message>
        <source>● Offline</source>
        <translation>● 离线</translation>
    </message>
    <message>
        <source>The server cannot be reached. Keep working: everything is saved here and sent when the network is back.</source>
        <translation>无法连接服务器。可以继续工作：所有内容都保存在本机，网络恢复后自动上传。</translation>
    </message>
    <message>
        <source>{n} cases were reassigned to someone else or closed by the server and left your list.</source>
        <translation>有 {n} 个案件已被服务器转派给他人或结案，已从您的列表中移除。</translation>
    </message>
    <message>
        <source>The server refused {n} records. Click &quot;refused&quot; below to see why.</source>
        <translation>服务器拒收了 {n} 条记录。点击下方的“被拒收”查看原因。</translation>
    </message>
    <message>
        <source>Case removed</source>
        <translation>案件已移除</translation>
    </message>
    <message>
        <source>The case of {name} was reassigned to someone else or closed by the server, so it is no longer on this laptop. What you logged for it is kept and will still be sent.</source>
        <translation>{name} 的案件已被服务器转派给他人或结案，因此已不在本机。您为它记录的内容会保留，并照常上传。</translation>
    </message>
    <message>
        <source>Saved. It will be sent with the next sync.</source>
        <translation>已保存，将在下次同步时上传。</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>That PIN or password is not right. Nothing was changed; try again.</source>
        <translation>PIN 码或密码不正确。未做任何更改，请重试。</translation>
    </message>
    <message>
        <source>This laptop is not enrolled yet. Restart FieldApp to set it up.</source>
        <translation>此电脑尚未注册。请重新启动 FieldApp 进行设置。</translation>
    </message>
    <message>
        <source>The server did not accept the enrollment. Check the code (it works once and expires), your username and your password, or ask IT for a new code.</source>
        <translation>服务器未接受注册。请检查注册码（只能使用一次且会过期）、用户名和密码，或向 IT 部门申请新的注册码。</translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the network and the server address; your work is kept on this laptop.</source>
        <translation>无法连接服务器。请检查网络和服务器地址；您的工作内容保存在本机。</translation>
    </message>
    <message>
        <source>This laptop was revoked by IT. Its local data has been wiped. Ask IT to enroll it again.</source>
        <translation>此电脑已被 IT 部门停用，本机数据已被清除。请联系 IT 部门重新注册。</translation>
    </message>
    <message>
        <source>The server does not recognise this laptop any more. Ask IT to enroll it again; your work stays here.</source>
        <translation>服务器已无法识别此电脑。请联系 IT 部门重新注册；您的工作内容仍保存在本机。</translation>
    </message>
    <message>
        <source>This version of FieldApp is too old for the server. Ask IT for the update; your records stay on this laptop until then.</source>
        <translation>此版本的 FieldApp 过旧，服务器不再支持。请向 IT 部门获取更新；在此之前您的记录保存在本机。</translation>
    </message>
    <message>
        <source>The server had a problem and could not finish. It will be tried again; nothing was lost.</source>
        <translation>服务器出现问题，未能完成。稍后会自动重试，数据没有丢失。</translation>
    </message>
    <message>
        <source>The local data cannot be opened: {reason}</source>
        <translation>无法打开本机数据：{reason}</translation>
    </message>
    <message>
        <source>Syncing did not work: {reason}</source>
        <translation>同步失败：{reason}</translation>
    </message>
    <message>
        <source>Something unexpected went wrong. The details are in the log; use &quot;Copy details&quot; to send them to IT.</source>
        <translation>发生了意外错误。详情已写入日志；可点击“复制详情”发送给 IT 部门。</translation>
    </message>
</context>
<context>
    <name>NoticeDialog</name>
    <message>
        <source>Notice letter</source>
        <translation>通告函</translation>
    </message>
    <message>
        <source>This notice cannot be printed: {reason}</source>
        <translation>无法打印此通告函：{reason}</translation>
    </message>
    <message>
        <source>This notice cannot be printed because these required values are empty: {fields}. Ask your team lead to complete the case or the issuer settings.</source>
        <translation>无法打印此通告函，以下必填内容为空：{fields}。请联系组长补全案件信息或出函方设置。</translation>
    </message>
    <message>
        <source>Notice letter for {name}</source>
        <translation>{name}的通告函</translation>
    </message>
    <message>
        <source>For a sealed envelope only: {reason}</source>
        <translation>仅限密封信封交付：{reason}</translation>
    </message>
    <message>
        <source>Hand it only to the verified debtor. Verification code {code}.</source>
        <translation>只能交给已核实身份的债务人本人。核验码 {code}。</translation>
    </message>
    <message>
        <source>The notice letter could not be prepared.</source>
        <translation>无法生成通告函。</translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>What</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Made at</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Server&apos;s reason</source>
        <translation>服务器给出的原因</translation>
    </message>
    <message>
        <source>Contact attempt</source>
        <translation>联系记录</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>外访</translation>
    </message>
    <message>
        <source>Repayment plan</source>
        <translation>还款计划</translation>
    </message>
    <message>
        <source>Promise to pay</source>
        <translation>还款承诺</translation>
    </message>
    <message>
        <source>Notice letter printed</source>
        <translation>已打印通告函</translation>
    </message>
    <message>
        <source>Notice letter delivery</source>
        <translation>通告函送达</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>审计记录</translation>
    </message>
    <message>
        <source>Other record</source>
        <translation>其他记录</translation>
    </message>
    <message>
        <source>Audit trail ({n} entries)</source>
        <translation>审计记录（{n} 条）</translation>
    </message>
    <message>
        <source>Audit trail (1 entry)</source>
        <translation>审计记录（1 条）</translation>
    </message>
    <message>
        <source>{what}, with {n} audit entries</source>
        <translation>{what}（附 {n} 条审计记录）</translation>
    </message>
    <message>
        <source>Waiting to sync</source>
        <translation>等待同步</translation>
    </message>
    <message>
        <source>Refused by the server</source>
        <translation>被服务器拒收</translation>
    </message>
    <message>
        <source>Conflict (kept for your lead)</source>
        <translation>冲突（已留给组长处理）</translation>
    </message>
</context>
<context>
    <name>OutboxPage</name>
    <message>
        <source>Outbox</source>
        <translation>待上传</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Send waiting records and fetch case changes (F5)</source>
        <translation>上传待发记录并获取案件更新（F5）</translation>
    </message>
    <message>
        <source>Everything has been sent to the server.</source>
        <translation>所有记录都已上传到服务器。</translation>
    </message>
    <message>
        <source>{pending} waiting to be sent, {rejected} refused by the server.</source>
        <translation>{pending} 项等待上传，{rejected} 项被服务器拒收。</translation>
    </message>
    <message>
        <source>Their {n} audit entries (every rule check and step, for your team lead) go with them.</source>
        <translation>随附 {n} 条审计记录（每次规则检查和每个步骤，供组长复核）一并上传。</translation>
    </message>
    <message>
        <source>Refused records stay here with the server&apos;s reason; tell your team lead.</source>
        <translation>被拒收的记录连同服务器给出的原因保留在此，请告知组长。</translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Smaller (Ctrl+-)</source>
        <translation>缩小（Ctrl+-）</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Larger (Ctrl++)</source>
        <translation>放大（Ctrl++）</translation>
    </message>
    <message>
        <source>No document.</source>
        <translation>没有文档。</translation>
    </message>
    <message>
        <source>Opening the document…</source>
        <translation>正在打开文档…</translation>
    </message>
    <message>
        <source>{percent}%</source>
        <translation>{percent}%</translation>
    </message>
    <message>
        <source>The document has no pages.</source>
        <translation>此文档没有页面。</translation>
    </message>
    <message>
        <source>Pages: {n}</source>
        <translation>共 {n} 页</translation>
    </message>
    <message>
        <source>This document cannot be shown: it is not a readable PDF.</source>
        <translation>无法显示此文档：它不是可读取的 PDF 文件。</translation>
    </message>
    <message>
        <source>A page of this document could not be shown.</source>
        <translation>此文档有一页无法显示。</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
</context>
<context>
    <name>PlanEditorDialog</name>
    <message>
        <source>Repayment plan</source>
        <translation>还款计划</translation>
    </message>
    <message>
        <source>Loading the case…</source>
        <translation>正在读取案件…</translation>
    </message>
    <message>
        <source>Total due</source>
        <translation>欠款总额</translation>
    </message>
    <message>
        <source>0.00</source>
        <translation>0.00</translation>
    </message>
    <message>
        <source>&amp;Waiver</source>
        <translation>减免(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Down payment</source>
        <translation>首付款(&amp;D)</translation>
    </message>
    <message>
        <source>Monthly</source>
        <translation>每月</translation>
    </message>
    <message>
        <source>Every two weeks</source>
        <translation>每两周</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>每周</translation>
    </message>
    <message>
        <source>&amp;Frequency</source>
        <translation>还款频率(&amp;F)</translation>
    </message>
    <message>
        <source>Number of instalments</source>
        <translation>按期数</translation>
    </message>
    <message>
        <source>Amount of each instalment</source>
        <translation>按每期金额</translation>
    </message>
    <message>
        <source>&amp;Split by</source>
        <translation>分期方式(&amp;S)</translation>
    </message>
    <message>
        <source>One instalment fewer</source>
        <translation>减少一期</translation>
    </message>
    <message>
        <source>One instalment more</source>
        <translation>增加一期</translation>
    </message>
    <message>
        <source>Instalments</source>
        <translation>期数</translation>
    </message>
    <message>
        <source>First &amp;due date</source>
        <translation>首期到期日(&amp;D)</translation>
    </message>
    <message>
        <source>not declared</source>
        <translation>未申报</translation>
    </message>
    <message>
        <source>Declared monthly &amp;income</source>
        <translation>申报月收入(&amp;I)</translation>
    </message>
    <message>
        <source>Declared monthly &amp;expenses</source>
        <translation>申报月支出(&amp;E)</translation>
    </message>
    <message>
        <source>Written justification</source>
        <translation>书面理由</translation>
    </message>
    <message>
        <source>Why the debtor can still afford this plan</source>
        <translation>写明债务人为何仍能负担此计划</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>还款计划表</translation>
    </message>
    <message>
        <source>Promised &amp;date</source>
        <translation>承诺还款日期(&amp;D)</translation>
    </message>
    <message>
        <source>Promised &amp;amount</source>
        <translation>承诺还款金额(&amp;A)</translation>
    </message>
    <message>
        <source>A promise to pay is a dated promise without a schedule. It is tracked as kept or broken when payments arrive.</source>
        <translation>承诺还款是约定日期和金额的还款承诺，不含分期计划。还款到账后会记录为已履行或已违约。</translation>
    </message>
    <message>
        <source>Record promise</source>
        <translation>记录承诺还款</translation>
    </message>
    <message>
        <source>Promise to pay</source>
        <translation>承诺还款</translation>
    </message>
    <message>
        <source>Show the debtor…</source>
        <translation>给债务人看…</translation>
    </message>
    <message>
        <source>The plan in large type in the debtor&apos;s language (F5)</source>
        <translation>用债务人的语言以大字显示计划（F5）</translation>
    </message>
    <message>
        <source>Continue to signatures</source>
        <translation>继续签字</translation>
    </message>
    <message>
        <source>Debtor signs here</source>
        <translation>债务人在此签字</translation>
    </message>
    <message>
        <source>Collector signs here</source>
        <translation>外访员在此签字</translation>
    </message>
    <message>
        <source>Sign with a finger, pen or mouse</source>
        <translation>可用手指、手写笔或鼠标签字</translation>
    </message>
    <message>
        <source>Both the debtor and the collector must sign before the plan is sealed.</source>
        <translation>债务人和外访员都签字后，计划才能封存。</translation>
    </message>
    <message>
        <source>Back to the plan</source>
        <translation>返回计划</translation>
    </message>
    <message>
        <source>Seal the plan</source>
        <translation>封存计划</translation>
    </message>
    <message>
        <source>Hash the plan and both signatures and store them (Ctrl+Return)</source>
        <translation>对计划和双方签名计算摘要并保存（Ctrl+Return）</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Print two copies: one for the debtor, one for the file (Ctrl+P)</source>
        <translation>打印两份：一份交债务人，一份存档（Ctrl+P）</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Change plan…</source>
        <translation>更改计划…</translation>
    </message>
    <message>
        <source>Agree a new plan that replaces this one; both stay on record</source>
        <translation>商定一份取代本计划的新计划，两份都会留存</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Repayment plan for %1 · %2</source>
        <translation>%1 的还款计划 · %2</translation>
    </message>
    <message>
        <source>This case cannot be opened for a plan: %1</source>
        <translation>无法为此案件制定计划：%1</translation>
    </message>
    <message>
        <source>This plan does not add up yet</source>
        <translation>此计划尚不成立</translation>
    </message>
    <message>
        <source>An amount is not valid</source>
        <translation>有金额无效</translation>
    </message>
    <message>
        <source>%1 instalments · agreed total %2 · last due %3</source>
        <translation>共 %1 期 · 约定还款总额 %2 · 最后一期 %3</translation>
    </message>
    <message>
        <source>* moved to the next business day: no payment falls due on a public holiday</source>
        <translation>* 已顺延至下一个工作日：到期日不落在法定节假日</translation>
    </message>
    <message>
        <source>Within your authority: the plan takes effect once both have signed.</source>
        <translation>在您的权限内：双方签字后计划即生效。</translation>
    </message>
    <message>
        <source>Needs a written justification: write down why the debtor can still afford it. The plan is flagged for your team lead.</source>
        <translation>需要书面理由：请写明债务人为何仍能负担。计划将标记给组长复核。</translation>
    </message>
    <message>
        <source>Goes to the team lead for approval: both can sign now, and the plan takes effect once your team lead approves it.</source>
        <translation>需提交组长审批：双方现在可以签字，组长批准后计划生效。</translation>
    </message>
    <message>
        <source>Refused: this plan cannot be signed as it is. Change it:</source>
        <translation>不予通过：此计划不能按现状签署。请修改：</translation>
    </message>
    <message>
        <source>%1 in %2 instalments. %3</source>
        <translation>%1，分 %2 期。%3</translation>
    </message>
    <message>
        <source>The plan cannot be sealed: %1</source>
        <translation>计划无法封存：%1</translation>
    </message>
    <message>
        <source>Signed and sealed. The plan goes to your team lead for approval; it will be sent with the next sync.</source>
        <translation>已签字并封存。计划将提交组长审批，下次同步时发送。</translation>
    </message>
    <message>
        <source>Signed and sealed. The plan is active; it will be sent with the next sync.</source>
        <translation>已签字并封存。计划已生效，下次同步时发送。</translation>
    </message>
    <message>
        <source>Seal (SHA-256): %1</source>
        <translation>封存摘要（SHA-256）：%1</translation>
    </message>
    <message>
        <source>Nothing was saved on this laptop: %1. Try again.</source>
        <translation>本机未保存任何内容：%1。请重试。</translation>
    </message>
    <message>
        <source>The agreement could not be made: %1</source>
        <translation>无法生成协议：%1</translation>
    </message>
    <message>
        <source>The agreement could not be printed: %1</source>
        <translation>协议无法打印：%1</translation>
    </message>
    <message>
        <source>The PDF could not be saved: %1</source>
        <translation>PDF 无法保存：%1</translation>
    </message>
    <message>
        <source>This new plan replaces the plan signed on %1; both stay on record.</source>
        <translation>此新计划将取代 %1 签署的计划，两份都会留存。</translation>
    </message>
</context>
<context>
    <name>PlanSummaryWidget</name>
    <message>
        <source>Plans and promises</source>
        <translation>还款计划与承诺</translation>
    </message>
    <message>
        <source>No plan or promise yet.</source>
        <translation>尚无还款计划或承诺。</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>已签署</translation>
    </message>
    <message>
        <source>Pending approval by the team lead</source>
        <translation>待组长审批</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>执行中</translation>
    </message>
    <message>
        <source>Kept so far</source>
        <translation>按期履行中</translation>
    </message>
    <message>
        <source>Broken: a payment is overdue</source>
        <translation>已违约：有一期逾期未还</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已结清</translation>
    </message>
    <message>
        <source>Waiting for the date</source>
        <translation>等待到期</translation>
    </message>
    <message>
        <source>monthly</source>
        <translation>每月</translation>
    </message>
    <message>
        <source>every two weeks</source>
        <translation>每两周</translation>
    </message>
    <message>
        <source>weekly</source>
        <translation>每周</translation>
    </message>
    <message>
        <source>Plans could not be read: %1</source>
        <translation>无法读取计划：%1</translation>
    </message>
    <message>
        <source>Agreement…</source>
        <translation>协议…</translation>
    </message>
    <message>
        <source>Preview, print or save a copy of the signed agreement</source>
        <translation>预览、打印或保存已签协议的副本</translation>
    </message>
    <message>
        <source>Plan: %1 in %2 instalments, %3</source>
        <translation>计划：%1，分 %2 期，%3</translation>
    </message>
    <message>
        <source>signed on %1</source>
        <translation>签署于 %1</translation>
    </message>
    <message>
        <source>Replaced by a newer plan; kept on record.</source>
        <translation>已被新计划取代，仍予留存。</translation>
    </message>
    <message>
        <source>the team lead</source>
        <translation>组长</translation>
    </message>
    <message>
        <source>Approved by %1</source>
        <translation>%1 已批准</translation>
    </message>
    <message>
        <source>Rejected by %1</source>
        <translation>%1 已驳回</translation>
    </message>
    <message>
        <source>%1 of %2 payments made</source>
        <translation>已还 %1 / %2 笔</translation>
    </message>
    <message>
        <source>%1 overdue</source>
        <translation>%1 期逾期</translation>
    </message>
    <message>
        <source>next due %1: %2</source>
        <translation>下一期 %1：%2</translation>
    </message>
    <message>
        <source>Promise to pay %1 by %2</source>
        <translation>承诺于 %2 前还款 %1</translation>
    </message>
</context>
<context>
    <name>RejectedDialog</name>
    <message>
        <source>Records refused by the server</source>
        <translation>被服务器拒收的记录</translation>
    </message>
    <message>
        <source>These records were not accepted. They stay on this laptop; your team lead can resolve them.</source>
        <translation>这些记录未被接受。它们保留在本机，可由组长处理。</translation>
    </message>
</context>
<context>
    <name>RuleDialog</name>
    <message>
        <source>Not allowed now</source>
        <translation>现在不允许</translation>
    </message>
    <message>
        <source>A reason is needed</source>
        <translation>需要写明理由</translation>
    </message>
    <message>
        <source>Rule {rule}. This check is recorded.</source>
        <translation>规则 {rule}。本次检查已记录。</translation>
    </message>
    <message>
        <source>Write why this is needed; your team lead will review it</source>
        <translation>请写明为什么需要这样做，组长将复核</translation>
    </message>
    <message>
        <source>Go ahead, flagged for the lead</source>
        <translation>继续（标记并提交组长复核）</translation>
    </message>
</context>
<context>
    <name>ScheduleModel</name>
    <message>
        <source>No.</source>
        <translation>期次</translation>
    </message>
    <message>
        <source>Due on</source>
        <translation>到期日</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Down payment</source>
        <translation>首付款</translation>
    </message>
    <message>
        <source>Moved from %1: no payment falls due on a public holiday</source>
        <translation>原为 %1：到期日不落在法定节假日</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Lock after being idle for</source>
        <translation>空闲多久后自动锁定</translation>
    </message>
</context>
<context>
    <name>SignatureBox</name>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
</context>
<context>
    <name>TodayModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Done: {outcome}</source>
        <translation>已完成：{outcome}</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>已错过</translation>
    </message>
    <message>
        <source>To do</source>
        <translation>待上门</translation>
    </message>
    <message>
        <source>Next: {state}</source>
        <translation>下一站：{state}</translation>
    </message>
</context>
<context>
    <name>TodayNoticesDialog</name>
    <message>
        <source>Today&apos;s notices</source>
        <translation>今日通告函</translation>
    </message>
    <message>
        <source>Notice letters for today&apos;s route</source>
        <translation>今日路线的通告函</translation>
    </message>
    <message>
        <source>{n} notices in one print job. Hand each only to the verified debtor, or seal it in an envelope where that is allowed.</source>
        <translation>共 {n} 份通告函，一次打印。每份只能交给已核实身份的债务人本人，或在允许时装入密封信封交付。</translation>
    </message>
    <message>
        <source>Left out: {name} — {reason}</source>
        <translation>未打印：{name} — {reason}</translation>
    </message>
    <message>
        <source>There are no appointments today.</source>
        <translation>今天没有预约。</translation>
    </message>
    <message>
        <source>Today&apos;s notices could not be prepared.</source>
        <translation>无法生成今日通告函。</translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Start visit</source>
        <translation>开始外访</translation>
    </message>
    <message>
        <source>Start the visit of the selected stop (Ctrl+Enter)</source>
        <translation>开始所选这一站的外访（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Print today&apos;s notices…</source>
        <translation>打印今日通告函…</translation>
    </message>
    <message>
        <source>All notice letters for today&apos;s route in one print job (Ctrl+Shift+T)</source>
        <translation>今日路线的全部通告函，一次打印（Ctrl+Shift+T）</translation>
    </message>
    <message>
        <source>Your working day, in {zone}</source>
        <translation>您的工作日（{zone} 时间）</translation>
    </message>
    <message>
        <source>{n} appointments today: {done} done, {doing} in progress, {missed} missed, {left} to do.</source>
        <translation>今日共 {n} 个预约：已完成 {done}，进行中 {doing}，已错过 {missed}，待上门 {left}。</translation>
    </message>
    <message>
        <source>Nothing left on today&apos;s route.</source>
        <translation>今日路线已没有待上门的预约。</translation>
    </message>
    <message>
        <source>No appointments today. Confirm visits by phone from the case list.</source>
        <translation>今日没有预约。可在案件列表中电话确认上门时间。</translation>
    </message>
</context>
<context>
    <name>UnlockWidget</name>
    <message>
        <source>FieldApp is locked</source>
        <translation>FieldApp 已锁定</translation>
    </message>
    <message>
        <source>Enter your PIN or password to continue. This works without a network.</source>
        <translation>请输入 PIN 码或密码继续。无需联网。</translation>
    </message>
    <message>
        <source>PIN or password</source>
        <translation>PIN 码或密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Forgot it? IT can recover this laptop&apos;s unsynced work; do not reinstall.</source>
        <translation>忘记了？IT 部门可以恢复本机未同步的工作，请勿重装。</translation>
    </message>
    <message>
        <source>Demo laptop (for trying FieldApp only): unlock with PIN {pin}</source>
        <translation>演示电脑（仅供试用 FieldApp）：用 PIN {pin} 解锁</translation>
    </message>
</context>
<context>
    <name>VisitLauncher</name>
    <message>
        <source>This case is no longer on this laptop.</source>
        <extracomment>Set to inject time (tests); None reads the store&apos;s trusted clock at each start.</extracomment>
        <translation>此案件已不在本机上。</translation>
    </message>
    <message>
        <source>Unfinished visit</source>
        <translation>未完成的外访</translation>
    </message>
    <message>
        <source>A visit to {name} started {time} was not finished. Resume it where it stopped? It continues on the script version it started with.</source>
        <translation>对{name}的外访于 {time} 开始，尚未完成。要从中断处继续吗？将继续使用开始时的脚本版本。</translation>
    </message>
    <message>
        <source>Resume visit</source>
        <translation>继续外访</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <source>The visit to {name} cannot start now.</source>
        <translation>现在不能开始对{name}的外访。</translation>
    </message>
    <message>
        <source>The visit to {name} needs a reason.</source>
        <translation>对{name}的外访需要写明理由。</translation>
    </message>
    <message>
        <source>There is no visit script for {jurisdiction} cases on this laptop. Sync, or ask your team lead.</source>
        <translation>本机上没有适用于 {jurisdiction} 案件的外访脚本。请同步，或联系组长。</translation>
    </message>
    <message>
        <source>This visit cannot be opened: its saved script does not match its fingerprint. Tell your team lead.</source>
        <translation>无法打开此次外访：保存的脚本与其指纹不符。请告知组长。</translation>
    </message>
</context>
<context>
    <name>VisitSummary</name>
    <message>
        <source>Outcome: {outcome}</source>
        <translation>结果：{outcome}</translation>
    </message>
    <message>
        <source>Wrong address: {note}</source>
        <translation>地址有误：{note}</translation>
    </message>
    <message>
        <source>Checked in at the address on the case</source>
        <translation>已在案件地址签到</translation>
    </message>
    <message>
        <source>Not checked in</source>
        <translation>未签到</translation>
    </message>
    <message>
        <source>someone else</source>
        <translation>其他人</translation>
    </message>
    <message>
        <source>Identity: not the debtor (spoke with {person}); nothing about the debt was said</source>
        <translation>身份：非债务人本人（交谈对象：{person}）；未透露任何债务信息</translation>
    </message>
    <message>
        <source>Identity: confirmed</source>
        <translation>身份：已核实</translation>
    </message>
    <message>
        <source>Identity: not confirmed</source>
        <translation>身份：未核实</translation>
    </message>
    <message>
        <source>Recording: the debtor consented</source>
        <translation>录音：债务人已同意</translation>
    </message>
    <message>
        <source>Recording: no consent given</source>
        <translation>录音：未获同意</translation>
    </message>
    <message>
        <source>Entry: invited in by the debtor</source>
        <translation>进门：经债务人邀请入内</translation>
    </message>
    <message>
        <source>Entry: talked at the door</source>
        <translation>进门：在门口交谈</translation>
    </message>
    <message>
        <source>Notice letter: {delivery} ({n} printed)</source>
        <translation>通告函：{delivery}（已打印 {n} 份）</translation>
    </message>
    <message>
        <source>Promise to pay recorded in the plan editor</source>
        <translation>还款承诺已在还款计划中记录</translation>
    </message>
    <message>
        <source>Repayment plan {id} signed and sealed</source>
        <translation>还款计划 {id} 已签署并封存</translation>
    </message>
    <message>
        <source>Promise to pay {amount} on {date} (tracked as a promise)</source>
        <translation>承诺于 {date} 还款 {amount}（按承诺跟踪）</translation>
    </message>
    <message>
        <source>Follow-up on {date}</source>
        <translation>跟进日期：{date}</translation>
    </message>
    <message>
        <source>Evidence attached: {n}</source>
        <translation>已附证据：{n} 份</translation>
    </message>
    <message>
        <source>This visit is flagged for your team lead.</source>
        <translation>本次外访已标记，将提交组长复核。</translation>
    </message>
</context>
<context>
    <name>VisitWizard</name>
    <message>
        <source>Visit — {name}</source>
        <translation>外访 — {name}</translation>
    </message>
    <message>
        <source>Amount owed</source>
        <translation>欠款金额</translation>
    </message>
    <message>
        <source>Check the house number and the name on the door or letterbox before you ring. Say nothing about the debt to anyone but the debtor.</source>
        <translation>敲门前核对门牌号以及门上或信箱上的姓名。除债务人本人外，不得向任何人提及欠款。</translation>
    </message>
    <message>
        <source>This is not the right address</source>
        <translation>地址不对</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Previous step (Alt+Left)</source>
        <translation>上一步（Alt+Left）</translation>
    </message>
    <message>
        <source>Add photo from file…</source>
        <translation>从文件添加照片…</translation>
    </message>
    <message>
        <source>Attach a photo as evidence; it is encrypted, hashed and sent with the visit (Ctrl+P)</source>
        <translation>添加照片作为证据：加密保存、计算哈希，并随外访记录上传（Ctrl+P）</translation>
    </message>
    <message>
        <source>Camera and audio recording are not available in this build: add photos as files, and record with the recorder your team lead issued.</source>
        <translation>此版本不支持摄像头拍照和录音：请以文件形式添加照片，并使用组长配发的录音设备录音。</translation>
    </message>
    <message>
        <source>Notice letter…</source>
        <translation>通告函…</translation>
    </message>
    <message>
        <source>Preview and print the notice letter (Ctrl+Shift+P)</source>
        <translation>预览并打印通告函（Ctrl+Shift+P）</translation>
    </message>
    <message>
        <source>The next required action (Ctrl+Enter)</source>
        <translation>下一步必须完成的操作（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Debtor-local time {time} ({zone})</source>
        <translation>债务人当地时间 {time}（{zone}）</translation>
    </message>
    <message>
        <source>Local time {time}</source>
        <translation>当地时间 {time}</translation>
    </message>
    <message>
        <source>Not the debtor: say nothing about the debt</source>
        <translation>不是本人：不得提及欠款</translation>
    </message>
    <message>
        <source>Identity confirmed</source>
        <translation>已核实本人身份</translation>
    </message>
    <message>
        <source>Identity not confirmed: amounts hidden</source>
        <translation>尚未核实身份：金额已隐藏</translation>
    </message>
    <message>
        <source>principal {principal} · interest and fees {fees}</source>
        <translation>本金 {principal} · 利息和费用 {fees}</translation>
    </message>
    <message>
        <source>{name} · {script}</source>
        <translation>{name} · {script}</translation>
    </message>
    <message>
        <source>Check in: confirm that you are at this address.

{address}</source>
        <translation>签到：请确认您已到达此地址。

{address}</translation>
    </message>
    <message>
        <source>(no address on record)</source>
        <translation>（没有登记地址）</translation>
    </message>
    <message>
        <source>I am at this address</source>
        <translation>我已到达此地址</translation>
    </message>
    <message>
        <source>Read aloud — next</source>
        <translation>已读出 — 下一步</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Evidence attached: {n}</source>
        <translation>已附证据：{n} 份</translation>
    </message>
    <message>
        <source>Someone at this address asked not to be contacted again. If the person at the door is one of them, stop here.</source>
        <translation>此地址有人已明确表示不愿再被联系。如果开门者就是此人，请在此停止。</translation>
    </message>
    <message>
        <source>the person at the door</source>
        <translation>开门者</translation>
    </message>
    <message>
        <source>This is {who}: end the conversation</source>
        <translation>是{who}：结束沟通</translation>
    </message>
    <message>
        <source>The script is complete. Finish the visit to queue it for sync.</source>
        <translation>脚本已完成。请结束外访，记录将排队等待同步。</translation>
    </message>
    <message>
        <source>Type the amount in digits, such as 3000 or 3,000.50 (元 or ¥ may follow or lead; no other words).</source>
        <translation>请用数字填写金额，如 3000 或 3,000.50（前后可带“元”或“¥”，不要写其他文字）。</translation>
    </message>
    <message>
        <source>Finish visit</source>
        <translation>结束外访</translation>
    </message>
    <message>
        <source>This answer is not valid.</source>
        <translation>此回答无效。</translation>
    </message>
    <message>
        <source>You cannot go back from here.</source>
        <translation>此处不能返回上一步。</translation>
    </message>
    <message>
        <source>This person asked not to be contacted again.</source>
        <translation>此人已明确表示不愿再被联系。</translation>
    </message>
    <message>
        <source>Add photo</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <source>Images (*.jpg *.jpeg *.png *.heic);;All files (*)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.heic);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The notice can be printed only after the debtor&apos;s identity is confirmed.</source>
        <translation>只有核实债务人本人身份后才能打印通告函。</translation>
    </message>
    <message>
        <source>The repayment plan editor is not part of this build.</source>
        <translation>此版本不包含还款计划编辑器。</translation>
    </message>
    <message>
        <source>The visit could not be saved on this laptop. Do not close the window; tell your team lead.</source>
        <translation>外访无法保存在本机上。请不要关闭窗口，并告知组长。</translation>
    </message>
    <message>
        <source>The visit cannot be finished yet: {problem}</source>
        <translation>外访暂时无法结束：{problem}</translation>
    </message>
    <message>
        <source>The visit could not be finished on this laptop. It is kept as a draft; try again.</source>
        <translation>外访无法在本机上结束。记录已作为草稿保留，请重试。</translation>
    </message>
    <message>
        <source>The file could not be attached: {problem}</source>
        <translation>无法添加文件：{problem}</translation>
    </message>
</context>
<context>
    <name>WrongAddressDialog</name>
    <message>
        <source>Not the right address</source>
        <translation>地址不对</translation>
    </message>
    <message>
        <source>End this visit as “wrong address”? Say what you found, for example “new tenant since March, does not know the debtor”. Say nothing about the debt to anyone here.</source>
        <translation>以“地址有误”结束本次外访？请写明现场情况，例如“三月起换了新租户，不认识债务人”。不要向此处任何人提及债务。</translation>
    </message>
    <message>
        <source>What you found at the address</source>
        <translation>现场情况</translation>
    </message>
    <message>
        <source>End visit: wrong address</source>
        <translation>结束外访：地址有误</translation>
    </message>
</context>
<context>
    <name>_NoticeBase</name>
    <message>
        <source>Preparing the notice letter…</source>
        <extracomment>The printer boundary: tests put a PDF-format QPrinter here and turn the question off.</extracomment>
        <translation>正在生成通告函…</translation>
    </message>
    <message>
        <source>Copies</source>
        <translation>份数</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Save the notice as a PDF file (Ctrl+S)</source>
        <translation>将通告函保存为 PDF 文件（Ctrl+S）</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Choose a printer and the number of copies (Ctrl+P)</source>
        <translation>选择打印机和份数（Ctrl+P）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Printing sheet {done} of {total}…</source>
        <translation>正在打印第 {done} / {total} 页…</translation>
    </message>
    <message>
        <source>The notice could not be printed: {problem}</source>
        <translation>无法打印通告函：{problem}</translation>
    </message>
    <message>
        <source>The file could not be saved: {problem}</source>
        <translation>无法保存文件：{problem}</translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation>已保存到 {path}。</translation>
    </message>
    <message>
        <source>Printed and recorded ({n} notices). The next sync registers them for verification.</source>
        <translation>已打印并记录（{n} 份通告函）。下次同步时将登记以供核验。</translation>
    </message>
    <message>
        <source>The notice was printed but could not be recorded on this laptop. Tell your team lead.</source>
        <translation>通告函已打印，但无法在本机上记录。请告知组长。</translation>
    </message>
</context>
</TS>
