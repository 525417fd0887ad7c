// A real SMTP server for the tests (the npm smtp-server package), on 127.0.0.1:PORT.
// Every message it accepts is printed as one JSON line:
//   {"accepted": {"messageId", "to", "subject", "raw"}}
// Recipients whose address starts with "bounce" are refused for good (550), as a hard bounce.
// With --hold-first, the first message is received in full but never answered (no 250):
//   {"held": {"messageId", ...}}  — the sender must time out or die, and send it again.
import { SMTPServer } from "smtp-server";

const port = Number(process.argv[2]);
let holdNext = process.argv.includes("--hold-first");
const print = (line) => process.stdout.write(JSON.stringify(line) + "\n");

function parse(raw) {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " ");
  const header = (name) => (head.match(new RegExp(`^${name}:\\s*(.*)$`, "im")) ?? [])[1]?.trim() ?? null;
  return { messageId: header("Message-ID")?.replace(/^<|>$/g, "") ?? null, to: header("To"), subject: header("Subject"), raw };
}

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  onRcptTo(address, session, callback) {
    if (address.address.toLowerCase().startsWith("bounce")) {
      const error = new Error("5.1.1 No such mailbox");
      error.responseCode = 550;
      return callback(error);
    }
    callback();
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on("data", (chunk) => chunks.push(chunk));
    stream.on("end", () => {
      const message = parse(Buffer.concat(chunks).toString("utf8"));
      if (holdNext) {
        holdNext = false;
        print({ held: message });
        return; // never answer: the client waits for a 250 that does not come
      }
      print({ accepted: message });
      callback();
    });
  },
});
server.on("error", (error) => print({ error: String(error?.message ?? error) }));
server.listen(port, "127.0.0.1", () => print({ listening: port }));
