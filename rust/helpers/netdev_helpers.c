// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-line wrappers of the static inline netdev API for our Rust layer.
 * Nearly every function forwards to the kernel's own inline of the same
 * name; a few refuse a call from a context the kernel function cannot run
 * in. The socket buffer helpers are in skb_helpers.c, included here.
 */
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/pm_wakeup.h>
#include <linux/workqueue.h>

#include "netdev_helpers.h"
#include "skb_helpers.c"
#include "page_pool_helpers.c"
#include "tx_lock_helpers.c"
#include "xdp_helpers.c"

bool rnic_device_can_wakeup(struct device *dev)
{
	return device_can_wakeup(dev);
}

/* static inline without CONFIG_PM_SLEEP (then -EINVAL if not capable). */
int rnic_device_set_wakeup_enable(struct device *dev, bool enable)
{
	return device_set_wakeup_enable(dev, enable);
}

void *rnic_netdev_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

void rnic_set_netdev_dev(struct net_device *dev, struct device *parent)
{
	SET_NETDEV_DEV(dev, parent);
}

void rnic_eth_hw_addr_set(struct net_device *dev, const u8 *addr)
{
	eth_hw_addr_set(dev, addr);
}

void rnic_eth_hw_addr_random(struct net_device *dev)
{
	eth_hw_addr_random(dev);
}

bool rnic_netif_carrier_ok(const struct net_device *dev)
{
	return netif_carrier_ok(dev);
}

bool rnic_netif_running(const struct net_device *dev)
{
	return netif_running(dev);
}

void rnic_dev_hold(struct net_device *dev)
{
	dev_hold(dev);
}

void rnic_dev_put(struct net_device *dev)
{
	dev_put(dev);
}

void rnic_netif_start_queue(struct net_device *dev)
{
	netif_start_queue(dev);
}

void rnic_netif_stop_queue(struct net_device *dev)
{
	netif_stop_queue(dev);
}

void rnic_netif_wake_queue(struct net_device *dev)
{
	netif_wake_queue(dev);
}

bool rnic_netif_queue_stopped(const struct net_device *dev)
{
	return netif_queue_stopped(dev);
}

bool rnic_netdev_xmit_more(void)
{
	return netdev_xmit_more();
}

bool rnic_netif_xmit_stopped(struct net_device *dev)
{
	return netif_xmit_stopped(netdev_get_tx_queue(dev, 0));
}

/* Microseconds since transmit queue @index last sent (its trans_start). */
unsigned int rnic_netif_tx_idle_usecs(struct net_device *dev, unsigned int index)
{
	if (index >= dev->num_tx_queues)
		return 0;
	return jiffies_to_usecs(jiffies -
				READ_ONCE(netdev_get_tx_queue(dev, index)->trans_start));
}

bool rnic_netdev_is_registered(const struct net_device *dev)
{
	return READ_ONCE(dev->reg_state) == NETREG_REGISTERED;
}

/*
 * netdev_work_sched() takes a spin_lock_bh: not in hard IRQ context, nor
 * with interrupts off (netpoll), where re-enabling bottom halves is a bug.
 */
bool rnic_netdev_work_sched(struct net_device *dev, unsigned long events)
{
	if (in_hardirq() || irqs_disabled()) {
		netdev_warn_once(dev, "work scheduled in hard IRQ context, dropped\n");
		return false;
	}
	netdev_work_sched(dev, events);
	return true;
}

void rnic_netdev_sent_queue(struct net_device *dev, unsigned int bytes)
{
	netdev_sent_queue(dev, bytes);
}

/*
 * dql_completed() hits BUG_ON when more bytes complete than are in flight:
 * a driver's miscount must not bring the kernel down, so the completion is
 * capped (and logged) here. In flight only grows between the driver's
 * accounting of a frame and its completion, so a correct count is never
 * capped.
 */
void rnic_netdev_completed_queue(struct net_device *dev, unsigned int pkts,
				 unsigned int bytes)
{
#ifdef CONFIG_BQL
	struct dql *dql = &netdev_get_tx_queue(dev, 0)->dql;
	unsigned int in_flight = READ_ONCE(dql->num_queued) - READ_ONCE(dql->num_completed);

	if (unlikely(bytes > in_flight)) {
		netdev_warn_once(dev, "BQL: %u bytes completed, %u in flight\n",
				 bytes, in_flight);
		bytes = in_flight;
	}
#endif
	netdev_completed_queue(dev, pkts, bytes);
}

void rnic_netdev_reset_queue(struct net_device *dev)
{
	netdev_reset_queue(dev);
}

void rnic_netif_napi_add(struct net_device *dev, struct napi_struct *napi,
			 int (*poll)(struct napi_struct *, int))
{
	netif_napi_add(dev, napi, poll);
}

void rnic_netif_napi_add_tx(struct net_device *dev, struct napi_struct *napi,
			    int (*poll)(struct napi_struct *, int))
{
	netif_napi_add_tx(dev, napi, poll);
}

void rnic_netif_napi_del(struct napi_struct *napi)
{
	netif_napi_del(napi);
}

/* Whether the caller may sleep (take a mutex, wait for a handler). */
static bool rnic_may_sleep(void)
{
#ifdef CONFIG_PREEMPT_COUNT
	return preemptible();
#else
	return !in_interrupt() && !irqs_disabled();
#endif
}

/*
 * napi_enable() and napi_disable() take the device's instance lock, a
 * mutex, and napi_disable() sleeps until a running poll ends; so does
 * unbinding the instance from its queues. The layer asks this first and
 * refuses them from atomic context, with a warning.
 */
bool rnic_napi_may_sleep(struct napi_struct *napi)
{
	bool may_sleep = rnic_may_sleep();

	if (!may_sleep)
		netdev_warn_once(napi->dev,
				 "NAPI enabled or disabled in atomic context, refused\n");
	return may_sleep;
}

/*
 * The legacy (INTx) line of the PCI device @parent, requested shared, in
 * the interface's name (as C e1000 does), with @dev as the cookie. Returns
 * the line's number or a negative error. request_irq() and free_irq()
 * sleep: refused from atomic context.
 */
int rnic_request_intx(struct net_device *dev, struct device *parent,
		      irq_handler_t handler)
{
	struct pci_dev *pdev;
	int err;

	if (!rnic_may_sleep()) {
		netdev_warn_once(dev, "interrupt requested in atomic context, refused\n");
		return -EPERM;
	}
	if (!dev_is_pci(parent))
		return -ENODEV;
	pdev = to_pci_dev(parent);
	if (!pdev->irq)
		return -ENOENT;
	err = request_irq(pdev->irq, handler, IRQF_SHARED, dev->name, dev);
	return err ? err : pdev->irq;
}

bool rnic_free_intx(struct net_device *dev, unsigned int irq)
{
	if (!rnic_may_sleep()) {
		netdev_warn_once(dev, "interrupt freed in atomic context, refused\n");
		return false;
	}
	free_irq(irq, dev);
	return true;
}

bool rnic_napi_schedule(struct napi_struct *napi)
{
	return napi_schedule(napi);
}

void rnic_netif_napi_set_irq(struct napi_struct *napi, int irq)
{
	netif_napi_set_irq(napi, irq);
}

gro_result_t rnic_napi_gro_receive(struct napi_struct *napi,
				   struct sk_buff *skb)
{
	return napi_gro_receive(napi, skb);
}

void rnic_init_delayed_work(struct delayed_work *dwork, work_func_t fn)
{
	INIT_DELAYED_WORK(dwork, fn);
}

bool rnic_mod_delayed_work(struct delayed_work *dwork, unsigned long delay)
{
	return mod_delayed_work(system_percpu_wq, dwork, delay);
}

/*
 * Bottom-half locks for state that netpoll reaches too: netconsole calls
 * ndo_start_xmit and the budget-0 NAPI poll with interrupts off. There,
 * bottom halves cannot run on this CPU anyway, and spin_unlock_bh() would
 * run pending softirqs and turn interrupts back on under netpoll. So with
 * interrupts off the plain lock is taken. Each returns whether it
 * disabled bottom halves; the unlock undoes exactly that.
 */
bool rnic_spin_lock_bh(spinlock_t *lock)
{
	if (irqs_disabled()) {
		spin_lock(lock);
		return false;
	}
	spin_lock_bh(lock);
	return true;
}

void rnic_spin_unlock_bh(spinlock_t *lock, bool bh)
{
	if (bh)
		spin_unlock_bh(lock);
	else
		spin_unlock(lock);
}

int rnic_spin_trylock_bh(spinlock_t *lock, bool *bh)
{
	*bh = !irqs_disabled();
	return *bh ? spin_trylock_bh(lock) : spin_trylock(lock);
}
