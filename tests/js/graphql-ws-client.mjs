// A GraphQL client for the tests: the npm graphql-ws client (graphql-transport-ws) over the ws
// package, subscribed to one room's messages. Prints {"connected":true} once acknowledged,
// {"ready":true} once the subscription listens, every event as {"next": …}, and {"error": …} /
// {"closed": code} when the server refuses or closes.
//   node graphql-ws-client.mjs <baseUrl> <accessToken> <roomId>
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [baseUrl, token, roomId] = process.argv.slice(2);
const print = (line) => process.stdout.write(JSON.stringify(line) + "\n");

const client = createClient({
  url: `${baseUrl.replace(/^http/, "ws")}/graphql`,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  retryAttempts: 0,
  lazy: false,
  on: {
    connected: () => print({ connected: true }),
    closed: (event) => print({ closed: event?.code ?? 0 }),
  },
});

client.subscribe(
  { query: "subscription($room: ID!) { roomMessages(roomId: $room) { id text senderId } }", variables: { room: roomId } },
  {
    next: (value) => print({ next: value }),
    error: (error) => print({ error: Array.isArray(error) ? error : { message: String(error?.message ?? error), code: error?.code } }),
    complete: () => print({ complete: true }),
  },
);
// The server handles one socket's messages in order: once a query sent after the subscription
// completes, the subscription is listening. Prints {"ready":true} then.
client.subscribe({ query: "{ __typename }" }, { next: () => {}, error: () => {}, complete: () => print({ ready: true }) });
