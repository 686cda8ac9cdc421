// SPDX-License-Identifier: GPL-2.0
/*
 * A transmit queue's xmit lock (the one the core holds around
 * ndo_start_xmit) for the driver's own use: its completion poll, a ring
 * resize. Included by netdev_helpers.c.
 *
 * The lock is taken in the way the caller's context allows:
 *
 * - never if this CPU holds it already (the driver's start_xmit, or a
 *   context this one interrupted): waiting would never end, and a second
 *   holder would defeat the lock;
 * - with interrupts off or in hard IRQ context (netpoll's zero-budget
 *   poll), only tried: whoever holds it on another CPU may need an
 *   interrupt of this one to let it go, and netpoll polls again anyway;
 * - with bottom halves off (softirq, a NAPI poll), plainly;
 * - in process context, with bottom halves off for the time it is held
 *   (a softirq on this CPU could otherwise spin on it for ever).
 *
 * rnic_netif_tx_lock() returns the mode to give rnic_netif_tx_unlock(), or
 * a negative error: -EINVAL (no such queue), -EDEADLK (held by this CPU),
 * -EBUSY (contended, and only a try was allowed or asked for).
 */

enum {
	RNIC_TX_LOCK_PLAIN = 1,
	RNIC_TX_LOCK_BH = 2,
};

int rnic_netif_tx_lock(struct net_device *dev, unsigned int index, bool wait)
{
	struct netdev_queue *txq;
	int cpu = raw_smp_processor_id();

	if (index >= dev->real_num_tx_queues)
		return -EINVAL;
	txq = netdev_get_tx_queue(dev, index);
	/*
	 * Only this CPU writes its own number there, and only while it holds
	 * the lock with preemption off, so the test cannot race with itself.
	 */
	if (READ_ONCE(txq->xmit_lock_owner) == cpu)
		return -EDEADLK;
	if (in_hardirq() || irqs_disabled())
		return __netif_tx_trylock(txq) ? RNIC_TX_LOCK_PLAIN : -EBUSY;
	if (in_softirq()) {
		if (!wait)
			return __netif_tx_trylock(txq) ? RNIC_TX_LOCK_PLAIN : -EBUSY;
		__netif_tx_lock(txq, smp_processor_id());
		return RNIC_TX_LOCK_PLAIN;
	}
	if (!wait) {
		local_bh_disable();
		if (__netif_tx_trylock(txq))
			return RNIC_TX_LOCK_BH;
		local_bh_enable();
		return -EBUSY;
	}
	__netif_tx_lock_bh(txq);
	return RNIC_TX_LOCK_BH;
}

void rnic_netif_tx_unlock(struct net_device *dev, unsigned int index, int mode)
{
	struct netdev_queue *txq = netdev_get_tx_queue(dev, index);

	if (mode == RNIC_TX_LOCK_BH)
		__netif_tx_unlock_bh(txq);
	else
		__netif_tx_unlock(txq);
}

/*
 * Whether this CPU holds transmit queue @index's xmit lock: true in
 * ndo_start_xmit, where the core took it for the call. Not on a lockless
 * (lltx) device, where the core skips the lock and the owner may be a
 * context the call interrupted (the layer never sets lltx).
 */
bool rnic_netif_tx_held_here(struct net_device *dev, unsigned int index)
{
	if (dev->lltx || index >= dev->real_num_tx_queues)
		return false;
	return READ_ONCE(netdev_get_tx_queue(dev, index)->xmit_lock_owner) ==
	       raw_smp_processor_id();
}

/* The transmit queue the core chose for @skb (its queue mapping). */
u16 rnic_skb_get_queue_mapping(const struct sk_buff *skb)
{
	return skb_get_queue_mapping(skb);
}
