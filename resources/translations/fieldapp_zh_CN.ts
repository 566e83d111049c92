<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AppController</name>
    <message>
        <source>This laptop was revoked</source>
        <extracomment>Events that count as the collector using the app (they postpone the idle lock). Emitted with the new MainWindow each time the workspace opens (tests wait on it). Emitted when the app locked (idle, the menu, or a revoked device).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IT revoked this laptop&apos;s access to FieldApp, so its local data has been wiped. If this is a mistake, ask IT for a new enrollment code.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseDetailPane</name>
    <message>
        <source>Select a case to see its details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days past due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log contact attempt…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record a call or message to this debtor (Ctrl+L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creditor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Letter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spoke with the debtor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Busy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone else answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused to talk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointment agreed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paid on the spot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Promise to pay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disputes the debt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hardship reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not at home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deceased</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Third party only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Principal {principal} · fees and interest {fees}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none on record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>visit {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not finished</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseListModel</name>
    <message>
        <source>Name</source>
        <extracomment>Emitted when a query&apos;s results are in: the number of matching cases. Emitted when a query failed: (exception, traceback text).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DPD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days past due</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseState</name>
    <message>
        <source>Not contacted</source>
        <extracomment>Rows read from the store at a time when the view scrolls onto rows not yet cached. Rows kept in memory at most; older blocks are dropped first.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointment set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Has flags</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CasesPage</name>
    <message>
        <source>Cases</source>
        <extracomment>The device clock may differ from the server&apos;s by this much before the status bar warns. Typing pauses this long before the case list is queried again.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search name, account, phone or address (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any DPD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DPD {band}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointment today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All cities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All districts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This case is no longer on this laptop: the server reassigned or closed it. Anything you logged for it is kept and will still be sent.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ContactAttemptDialog</name>
    <message>
        <source>Log contact attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact attempt with {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Letter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>debtor&apos;s local time, {zone}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spoke with the debtor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointment agreed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Busy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone else answered (nothing said about the debt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused to talk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit time agreed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was said, in a few words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Times are the debtor&apos;s local time ({zone}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save to outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The attempt cannot be in the future.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the visit time that was agreed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The agreed visit time must be after the call.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The note is too long (2,000 characters at most).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnrollmentWidget</name>
    <message>
        <source>Set up this laptop</source>
        <extracomment>Shortest PIN or password accepted for unlocking the device.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the enrollment code IT gave you and your FieldApp account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set by your IT department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 7KQ4-M2XD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrollment code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose your unlock PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You will type it every time FieldApp starts or locks. At least {n} characters. It never leaves this laptop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PIN or password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Once more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enroll this laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the server address, starting with https://</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill in the enrollment code, your username and your password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PIN must have at least {n} characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two entries differ. Type the same PIN twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolling…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Something went wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the technical details for support (they are also in the log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Flags</name>
    <message>
        <source>Represented by an attorney</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asked to cease contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dispute open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vulnerable person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bereavement</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>FieldApp — {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the records the server refused, with its reasons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync now (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;FieldApp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock FieldApp now; your PIN opens it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log contact attempt…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a case first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} waiting to sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last sync: {day} {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ This laptop&apos;s clock is {n} min off the server&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact-hour rules use the server&apos;s time. Set the laptop&apos;s date and time correctly (automatic time is best).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to the server; records are sent automatically</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server cannot be reached. Keep working: everything is saved here and sent when the network is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} cases were reassigned to someone else or closed by the server and left your list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused {n} records. Click &quot;refused&quot; below to see why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The case of {name} was reassigned to someone else or closed by the server, so it is no longer on this laptop. What you logged for it is kept and will still be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. It will be sent with the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>That PIN or password is not right. Nothing was changed; try again.</source>
        <extracomment>Exception class name → (sentence, whether the entered account details were the problem). The first class in an exception&apos;s MRO that is listed here decides.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This laptop is not enrolled yet. Restart FieldApp to set it up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not accept the enrollment. Check the code (it works once and expires), your username and your password, or ask IT for a new code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the network and the server address; your work is kept on this laptop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This laptop was revoked by IT. Its local data has been wiped. Ask IT to enroll it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server does not recognise this laptop any more. Ask IT to enroll it again; your work stays here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This version of FieldApp is too old for the server. Ask IT for the update; your records stay on this laptop until then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server had a problem and could not finish. It will be tried again; nothing was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local data cannot be opened: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing did not work: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something unexpected went wrong. The details are in the log; use &quot;Copy details&quot; to send them to IT.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server&apos;s reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting to sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflict (kept for your lead)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutboxPage</name>
    <message>
        <source>Outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send waiting records and fetch case changes (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything has been sent to the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{pending} waiting to be sent, {rejected} refused by the server. Refused records stay here with the server&apos;s reason; tell your team lead.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RejectedDialog</name>
    <message>
        <source>Records refused by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These records were not accepted. They stay on this laptop; your team lead can resolve them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock after being idle for</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TodayModel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} appointments today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No appointments today. Confirm visits by phone from the case list.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnlockWidget</name>
    <message>
        <source>FieldApp is locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your PIN or password to continue. This works without a network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PIN or password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forgot it? IT can recover this laptop&apos;s unsynced work; do not reinstall.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo accounts (for trying FieldApp only):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
