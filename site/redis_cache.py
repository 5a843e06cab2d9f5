"""Django's Redis cache, keeping its redis-py client.

Django's backend makes a new redis.Redis for every cache operation; building one copies about
170 response callbacks, which costs more than the operation itself (0.2 ms against a 0.05 ms
round trip on loopback). A stored page is served with three operations, so this was half of its
cost. The client is thread-safe and only wraps the connection pool Django already keeps.
"""

from django.core.cache.backends import redis as django_redis


class _Client(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client
