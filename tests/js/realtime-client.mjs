// A member's browser-like client for the tests: the official @microsoft/signalr client over
// WebSockets with the token in the query string (as browsers must send it). It prints every hub
// event as one JSON line and obeys JSON commands on stdin:
//   {"cmd":"send","conversationId":"cnv_…","count":50,"prefix":"js"}  sends over HTTP, one after another
//   {"cmd":"typing","conversationId":"cnv_…"}                          invokes the hub's Typing
//   {"cmd":"stop"}                                                      disconnects and exits
import * as signalR from "@microsoft/signalr";
import readline from "node:readline";

const [baseUrl, token] = process.argv.slice(2);
const print = (line) => process.stdout.write(JSON.stringify(line) + "\n");

const connection = new signalR.HubConnectionBuilder()
  .withUrl(`${baseUrl}/v1/realtime`, {
    accessTokenFactory: () => token,
    transport: signalR.HttpTransportType.WebSockets,
    skipNegotiation: true,
  })
  .configureLogging(signalR.LogLevel.Warning)
  .build();

for (const name of ["message", "read", "typing", "match", "notification"]) {
  connection.on(name, (data) => print({ event: name, data }));
}

async function send(conversationId, count, prefix) {
  for (let i = 1; i <= count; i++) {
    const response = await fetch(`${baseUrl}/v1/conversations/${conversationId}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ text: `${prefix} ${i}`, clientMessageId: `${prefix}-${i}` }),
    });
    if (response.status !== 201) {
      print({ error: `send ${i}: ${response.status} ${await response.text()}` });
      return;
    }
  }
  print({ sent: count });
}

const commands = readline.createInterface({ input: process.stdin });
commands.on("line", async (line) => {
  const command = JSON.parse(line);
  try {
    if (command.cmd === "send") {
      await send(command.conversationId, command.count, command.prefix);
    } else if (command.cmd === "typing") {
      await connection.invoke("Typing", command.conversationId);
      print({ typed: command.conversationId });
    } else if (command.cmd === "stop") {
      await connection.stop();
      print({ stopped: true });
      process.exit(0);
    }
  } catch (error) {
    print({ error: String(error?.message ?? error) });
  }
});

try {
  await connection.start();
  print({ connected: true });
} catch (error) {
  print({ error: String(error?.message ?? error) });
  process.exit(1);
}
