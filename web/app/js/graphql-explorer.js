// The GraphQL explorer at /graphql: GraphiQL (vendored from npm at build time), sending the web
// app's access token when you are signed in there. Queries and mutations run over HTTP;
// subscriptions need a graphql-transport-ws client (see the README).
/* global React, ReactDOM, GraphiQL */
const stored = (() => {
  try {
    return JSON.parse(localStorage.getItem('pairwise.tokens'));
  } catch {
    return null;
  }
})();

const defaultQuery = `# Pairwise GraphQL. Sign in on the web app (or send an Authorization header below) first.
query Markets {
  markets { id name matchRule sides { id name } }
}
`;

const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
const headers = stored?.accessToken ? JSON.stringify({ Authorization: `Bearer ${stored.accessToken}` }, null, 2) : undefined;

ReactDOM.createRoot(document.getElementById('explorer')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery, defaultHeaders: headers, shouldPersistHeaders: false }),
);
