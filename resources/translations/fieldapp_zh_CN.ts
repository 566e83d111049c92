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
        <source>Refused to talk</source>
        <translation>拒绝沟通</translation>
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
        <translation>当场还款</translation>
    </message>
    <message>
        <source>Plan signed</source>
        <translation>已签还款计划</translation>
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
        <source>Hardship reported</source>
        <translation>报告经济困难</translation>
    </message>
    <message>
        <source>Not at home</source>
        <translation>不在家</translation>
    </message>
    <message>
        <source>Moved</source>
        <translation>已搬离</translation>
    </message>
    <message>
        <source>Wrong address</source>
        <translation>地址错误</translation>
    </message>
    <message>
        <source>Deceased</source>
        <translation>已故</translation>
    </message>
    <message>
        <source>Third party only</source>
        <translation>仅见到第三人</translation>
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
        <source>visit {time}</source>
        <translation>上门 {time}</translation>
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
        <source>Last contact</source>
        <translation>最近联系</translation>
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
</context>
<context>
    <name>CasesPage</name>
    <message>
        <source>Cases</source>
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
        <source>Loading all cases…</source>
        <translation>正在载入全部案件…</translation>
    </message>
    <message>
        <source>{n} cases</source>
        <translation>{n} 个案件</translation>
    </message>
    <message>
        <source>This case is no longer on this laptop: the server reassigned or closed it. Anything you logged for it is kept and will still be sent.</source>
        <translation>此案件已不在本机：服务器已将其转派或结案。您为它记录的内容会保留，并照常上传。</translation>
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
        <source>Times are the debtor&apos;s local time ({zone}).</source>
        <translation>时间为债务人当地时间（{zone}）。</translation>
    </message>
    <message>
        <source>Save to outbox</source>
        <translation>保存到待上传</translation>
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
    <name>MainWindow</name>
    <message>
        <source>FieldApp — {name}</source>
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
        <source>{pending} waiting to be sent, {rejected} refused by the server. Refused records stay here with the server&apos;s reason; tell your team lead.</source>
        <translation>{pending} 条等待上传，{rejected} 条被服务器拒收。被拒收的记录连同原因保留在这里，请告知组长。</translation>
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
        <source>The plan could not be saved on this laptop: %1. Nothing was stored; try again.</source>
        <translation>计划无法保存在本机：%1。没有保存任何内容，请重试。</translation>
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
        <source>%1 of %2 instalments paid</source>
        <translation>已还 %1 / %2 期</translation>
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
</context>
<context>
    <name>TodayPage</name>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>{n} appointments today</source>
        <translation>今日共 {n} 个预约</translation>
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
        <source>Demo accounts (for trying FieldApp only):</source>
        <translation>演示账号（仅供试用 FieldApp）：</translation>
    </message>
    <message>
        <source>Unlock PIN</source>
        <translation>解锁密码</translation>
    </message>
    <message>
        <source>Collector</source>
        <translation>外访员</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Team lead</source>
        <translation>组长</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>{label}: {value}</source>
        <translation>{label}：{value}</translation>
    </message>
</context>
</TS>
